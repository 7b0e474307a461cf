/**
 * Every string the hosted pages and the sandbox popup show, in English. The other catalogues
 * are typed by this one, and a test compares their keys and `{placeholders}` with it.
 */
export const en = {
  layout: {
    testBannerTitle: 'Test mode.',
    testBannerText: 'This page uses a simulated Meta window; no real WhatsApp number is connected.',
    footer:
      'Secured connection to Meta’s WhatsApp Business Platform. We never see your Facebook password.',
    returnToApp: 'Return to the app',
  },
  pending: {
    documentTitle: 'Connect WhatsApp — {name}',
    lead: 'Connect your WhatsApp Business number: a Meta window opens where you log in with Facebook, pick or create your business account and confirm your number, then you come back here.',
    connect: 'Connect WhatsApp',
    loading: 'Loading Meta’s sign-in…',
    successTitle: 'Your number is connected',
    successText: '{phoneNumber} is now connected. You can close this window.',
    problemTitle: 'That did not work',
    retry: 'Try again',
    noscript: 'This page needs JavaScript to open Meta’s sign-in window.',
  },
  /** What signup.js says; it receives this section in the page's JSON config. */
  script: {
    ready: 'Ready when you are.',
    followMetaWindow: 'Complete the steps in the Meta window. Keep this page open.',
    connecting: 'Connecting your number…',
    oneMoment: 'One moment…',
    connectedTakingBack: 'Connected. Taking you back…',
    takingBack: 'Taking you back…',
    yourNumber: 'Your number',
    cancelledTitle: 'You stopped before finishing',
    cancelledText: 'Nothing was connected. You can start again whenever you are ready.',
    failedTitle: 'That did not work',
    reload: 'Reload the page',
    sdkFailed:
      'Meta’s sign-in could not load. Check your connection or disable blockers, then reload.',
  },
  /** The callback's refusals by error code, as the page shows them (signup.js picks by code). */
  errors: {
    network: 'We could not reach the server. Check your connection and try again.',
    unknown: 'Something went wrong. Please try again.',
    code_expired:
      'The authorization from Meta expired before we could use it. Please connect again.',
    meta_api_error: 'Meta could not finish connecting your number. Please try again.',
    rate_limited: 'Meta is limiting requests right now. Please try again in a few minutes.',
    waba_not_found:
      'Meta did not say which WhatsApp Business Account was shared. Please connect again.',
    waba_not_shared:
      'That WhatsApp Business Account was not shared with this service. Please connect again.',
    phone_not_in_waba: 'That phone number does not belong to the shared WhatsApp Business Account.',
    no_phone_number:
      'The WhatsApp Business Account has no phone number yet. Add one in the Meta window and try again.',
    waba_already_connected: 'This WhatsApp Business Account is already connected.',
    invalid_nonce: 'This page is out of date. Reload it and connect again.',
    missing_code: 'Meta did not return an authorization code. Please connect again.',
    meta_not_configured: 'This service is not configured to connect WhatsApp numbers yet.',
    link_already_completed: 'This link has already been used to connect a WhatsApp number.',
    link_expired: 'This link has expired.',
    session_already_completed: 'This signup has already been used to connect a WhatsApp number.',
    session_not_pending: 'This signup has ended. Go back to the app and start again.',
    session_expired: 'This signup has expired. Go back to the app and start again.',
  },
  message: {
    forName: 'For {name}',
    notFound: {
      title: 'Link not found',
      heading: 'This link does not work',
      text: 'We could not find this signup link. It may have been deleted or mistyped.',
      hint: 'Ask whoever sent it to you for a new link.',
    },
    expired: {
      title: 'Link expired',
      heading: 'This link has expired',
      text: 'For your security, signup links only work for a limited time.',
      hint: 'Ask whoever sent it to you for a new link.',
    },
    completed: {
      title: 'Already connected',
      heading: 'This number is already connected',
      text: 'This link has already been used to connect a WhatsApp number. There is nothing more to do.',
    },
    notConfigured: {
      title: 'Not available yet',
      heading: 'WhatsApp signup is not available yet',
      text: 'This service is not configured to connect WhatsApp numbers through Meta yet.',
      hint: 'Please let whoever sent you this link know; they need to finish setting up their Meta app.',
    },
    ended: {
      title: 'Signup ended',
      heading: 'This signup has ended',
      text: 'This signup link was cancelled or did not finish, so it cannot be used again.',
      hint: 'Go back to the app and start again.',
    },
    /** Sessions are short and one-time: their pages say so and offer the way back. */
    sessionExpired: {
      text: 'For your security, signup sessions only work for 15 minutes.',
      hint: 'Go back to the app and start again.',
    },
    sessionCompleted: {
      title: 'Already used',
      heading: 'This link has already been used',
      text: 'It was used to connect a WhatsApp number, and each signup link works once. There is nothing more to do.',
    },
  },
  /** The sandbox's Embedded Signup popup, localized by the SDK's locale as Meta's is. */
  sandbox: {
    documentTitle: 'Embedded Signup (sandbox)',
    badge: 'Test mode',
    heading: 'WhatsApp Embedded Signup — sandbox',
    intro: "This window stands in for Meta's Embedded Signup dialog. Nothing here reaches Meta.",
    launchHeading: 'Launched with',
    appId: 'App id',
    configId: 'Configuration id',
    featureType: 'Feature type',
    defaultFeatureType: '(default Cloud API flow)',
    sessionInfoVersion: 'Session info version',
    esVersion: 'Embedded Signup version',
    graphVersion: 'Graph API version',
    openerOrigin: 'Opening page',
    prefillHeading: 'Prefill received',
    prefillEmpty: 'No prefill was passed in {field}.',
    prefillProblem: 'The prefill (extras.setup) was not understood and is ignored.',
    prefillLabels: {
      businessName: 'Business name',
      businessEmail: 'Business email',
      businessPhone: 'Business phone',
      website: 'Website',
      address: 'Address',
      timezone: 'Timezone',
      businessId: 'Business portfolio id',
      phoneDisplayName: 'Phone display name',
      phoneCategory: 'Phone category',
      phoneDescription: 'Phone description',
      preVerifiedPhoneIds: 'Pre-verified phone ids',
      solutionId: 'Solution id',
    },
    problemsHeading: 'This login cannot continue',
    problems: {
      invalidAppId: 'Invalid App ID: {appId} is not the sandbox app.',
      noAppId: '(none)',
      configIdRequired: 'config_id is required for Embedded Signup.',
      responseType: "response_type must be 'code'.",
      overrideDefaultResponseType: 'override_default_response_type must be true.',
      noOrigin: 'The opening page did not say its origin; nothing can be delivered.',
      extrasNotObject: 'extras is not a JSON object.',
    },
    close: 'Close',
    optionsLabel: 'Options',
    variantsLegend: 'Failure variants (magic values)',
    expiredCode: 'Hand out a code that has already expired',
    sharedWaba: 'Reuse the shared WABA {wabaId} (already connected elsewhere)',
    registerFails: 'Phone registration fails (error 133005)',
    health: 'Phone health',
    healthLimited: 'LIMITED (display name not approved)',
    healthBlocked: 'BLOCKED (payment method, 141006)',
    rateLimit: 'Graph rate limit on this signup’s token',
    rateLimitNone: 'none',
    rateLimitWaba: 'WABA rate limit (80007)',
    rateLimitApp: 'app rate limit (4)',
    order: 'Delivery to the page',
    orderEventFirst: 'message event, then login callback',
    orderCallbackFirst: 'login callback, then message event',
    orderCallbackOnly: 'login callback only (no message event)',
    scenarioHeading: 'Finish the flow as…',
    scenarioSuccess: 'Finish (new WABA and phone)',
    scenarioCoexistence: 'Finish with WhatsApp Business app (coexistence)',
    scenarioOnlyWaba: 'Finish with WABA only',
    scenarioCancel: 'Cancel',
    scenarioError: 'Fail with an error',
    /** What popup.js says; it receives this section in the popup's JSON data. */
    script: {
      openerGone: 'The page that opened this window is gone; nothing was delivered.',
      working: 'Working…',
      done: 'Done. This window closes now.',
      couldNotFinish: 'Could not finish: {reason}',
      httpStatus: 'the sandbox answered HTTP {status}',
    },
  },
}

/** The shape every catalogue has: English's keys, each a string. */
export type Catalogue = typeof en
