// Hosted signup page: launches Meta's Embedded Signup with FB.login, collects the code (login
// callback) and the ids (WA_EMBEDDED_SIGNUP message event), which arrive in either order, and
// posts both to /signup/:id/callback. Test mode runs this same code against the sandbox.
;(() => {
  const config = JSON.parse(document.getElementById('signup-config').textContent)
  // Every word this script shows, in the page's language (the server's catalogue).
  const text = JSON.parse(document.getElementById('signup-text').textContent)
  const connect = document.getElementById('connect')
  const status = document.getElementById('status')
  const start = document.getElementById('start')
  const success = document.getElementById('result-success')
  const problem = document.getElementById('result-problem')
  const retry = document.getElementById('retry')
  const returnLink = document.getElementById('return')

  // After the login callback, how long to wait for a message event that may never come;
  // Meta's code lives ~30 s, so this stays short.
  const EVENT_GRACE_MS = 1500
  // After a message event, how long to wait for the login callback before posting anyway.
  const CALLBACK_GRACE_MS = 5000
  const sdkOrigin = new URL(config.sdkUrl, window.location.href).origin
  // Opened by embed.js for a link that lists origins: the result goes to the opener and the
  // window closes, instead of redirecting.
  const embedded = Boolean(config.embed) && Boolean(window.opener)

  // Refusals that a reload explains better: the page then shows what happened.
  const RELOAD_CODES = [
    'link_already_completed',
    'session_already_completed',
    'session_not_pending',
    'invalid_nonce',
  ]

  /** How long a completion waits for the page's reports to reach the server. */
  const REPORT_WAIT_MS = 2000

  let flow = null
  // Which press of Connect this is, in this render (the server deduplicates by it).
  let attempt = 0

  /**
   * Tells the server what just happened (opened, Connect pressed, Meta's answer) for the
   * console's timeline. Best effort: a lost report changes nothing for the end-user.
   * keepalive lets the last one finish while the page navigates to the redirect. Reports go
   * one after another, and the completion waits for them (briefly): the server takes a
   * report only while the link is pending, so one sent after the completion would be lost.
   */
  let reports = Promise.resolve()
  function report(kind, result) {
    if (!config.activityUrl) return
    const body = { nonce: config.nonce, kind, attempt: kind === 'opened' ? 0 : attempt }
    if (result) body.result = result
    reports = reports.then(() =>
      fetch(config.activityUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        credentials: 'same-origin',
        keepalive: true,
      }).then(
        () => undefined,
        () => undefined,
      ),
    )
  }

  /** The reports sent so far, or REPORT_WAIT_MS, whichever comes first. */
  function reportsSent() {
    return Promise.race([reports, new Promise((resolve) => setTimeout(resolve, REPORT_WAIT_MS))])
  }

  /** Meta's message, bounded as the server expects it. */
  function metaResult(event) {
    const data = event.data || {}
    const text = (value, max) =>
      value === undefined || value === null ? undefined : String(value).slice(0, max)
    const result = { event: text(event.event, 64) }
    const step = text(data.current_step, 64)
    const errorCode = text(data.error_code, 64)
    const errorMessage = text(data.error_message, 500)
    if (step) result.step = step
    if (errorCode) result.errorCode = errorCode
    if (errorMessage) result.errorMessage = errorMessage
    // A FINISH's ids are recorded at once, so the sign-up is not lost if this tab closes
    // before the callback: Meta's install for that WABA then completes the link.
    const metaId = (value) => (/^\d{1,32}$/.test(String(value ?? '')) ? String(value) : undefined)
    const ids = {
      wabaId: metaId(data.waba_id),
      phoneNumberId: metaId(data.phone_number_id),
      businessId: metaId(data.business_id),
    }
    for (const [name, value] of Object.entries(ids)) if (value) result[name] = value
    return result
  }

  function say(text) {
    status.textContent = text
  }

  /** Live: https on facebook.com or a subdomain. Test: exactly the sandbox's origin. */
  function trustedOrigin(origin) {
    if (config.mode === 'test') return origin === sdkOrigin
    try {
      const url = new URL(origin)
      const host = url.hostname
      return (
        url.protocol === 'https:' && (host === 'facebook.com' || host.endsWith('.facebook.com'))
      )
    } catch {
      return false
    }
  }

  window.addEventListener('message', (event) => {
    if (!flow || !trustedOrigin(event.origin)) return
    let message = event.data
    if (typeof message === 'string') {
      try {
        message = JSON.parse(message)
      } catch {
        return // the SDK posts other, non-JSON messages too
      }
    }
    if (message?.type !== 'WA_EMBEDDED_SIGNUP') return
    flow.event = { event: String(message.event), data: message.data || {} }
    if (message.version !== undefined) flow.event.version = message.version
    if (!flow.reported) {
      flow.reported = true
      report('meta_result', metaResult(flow.event))
    }
    settle()
  })

  // FB.login rejects async callbacks: this must stay a plain function.
  function onLogin(response) {
    if (!flow) return
    flow.loginDone = true
    flow.code = response?.authResponse?.code || null
    settle()
  }

  function settle() {
    const current = flow
    if (!current || current.sent) return
    clearTimeout(current.timer)
    if (current.loginDone && (current.event || !current.code)) return submit(current)
    const wait = current.loginDone ? EVENT_GRACE_MS : CALLBACK_GRACE_MS
    if (current.loginDone || current.event) current.timer = setTimeout(() => submit(current), wait)
  }

  async function submit(current) {
    if (current.sent || current !== flow) return
    current.sent = true
    clearTimeout(current.timer)
    say(current.code ? text.connecting : text.oneMoment)
    await reportsSent()
    const data = current.event?.data || {}
    const body = {
      nonce: config.nonce,
      code: current.code,
      wabaId: data.waba_id || null,
      phoneNumberId: data.phone_number_id || null,
      businessId: data.business_id || null,
      event: current.event,
    }
    let reply
    try {
      const response = await fetch(config.callbackUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        credentials: 'same-origin',
      })
      reply = await response.json()
    } catch {
      reply = { error: { code: 'network', message: text.errors.network } }
    }
    handle(reply)
  }

  /** The result embed.js resolves with, in the shape its README section documents. */
  function embedResult(reply) {
    const outcome = reply.data
    const ids = {
      onboardingLinkId: config.embed.onboardingLinkId,
      externalId: config.embed.externalId,
    }
    if (outcome?.status === 'success') {
      return { status: 'success', ...ids, phoneNumberId: outcome.phoneNumberId }
    }
    const error = outcome?.error || reply.error || { code: 'unknown', message: text.errors.unknown }
    const status = outcome?.status === 'cancelled' ? 'cancelled' : 'error'
    return { status, ...ids, error: { code: error.code, message: error.message } }
  }

  /**
   * Posts the result once per allowed origin, never to '*': the browser delivers it only
   * when the opener's origin is that one, so a page on any other origin hears nothing.
   */
  function tellOpener(reply) {
    const message = { type: 'onboard:result', result: embedResult(reply) }
    for (const origin of config.embed.origins) {
      try {
        window.opener.postMessage(message, origin)
      } catch {
        // The opener went away meanwhile; the link's state is still readable through the API.
      }
    }
  }

  function handle(reply) {
    flow = null
    const outcome = reply.data
    if (embedded) {
      tellOpener(reply)
      // Closes once this task ends; if the browser keeps the window, the result shows below.
      window.close()
    }
    if (outcome?.status === 'success') {
      if (outcome.redirectUrl && !embedded) {
        say(text.connectedTakingBack)
        window.location.assign(outcome.redirectUrl)
        return
      }
      success.querySelector('[data-field="phone-number"]').textContent =
        outcome.phoneNumber || text.yourNumber
      show(success)
      return
    }
    if (outcome?.status === 'cancelled') {
      // A session ends on a cancel: its redirect carries the result back to the app.
      if (config.returnOnCancel && outcome.redirectUrl && !embedded) {
        say(text.takingBack)
        window.location.assign(outcome.redirectUrl)
        return
      }
      return showProblem(text.cancelledTitle, text.cancelledText, outcome.redirectUrl)
    }
    const error = reply.error || { code: 'unknown', message: text.errors.unknown }
    if (reply.redirectUrl && !embedded) {
      say(text.takingBack)
      window.location.assign(reply.redirectUrl)
      return
    }
    if (RELOAD_CODES.includes(error.code)) {
      retry.textContent = text.reload
      retry.dataset.reload = 'true'
    }
    showProblem(text.failedTitle, problemMessage(error), null)
  }

  /**
   * The refusal in the page's language when the catalogue knows its code. Otherwise an
   * English page shows the server's own words (Meta's reason, say) and another language a
   * general sentence rather than English.
   */
  function problemMessage(error) {
    if (Object.hasOwn(text.errors, error.code)) return text.errors[error.code]
    return document.documentElement.lang === 'en' && error.message
      ? error.message
      : text.errors.unknown
  }

  function showProblem(title, message, returnUrl) {
    problem.querySelector('[data-field="problem-title"]').textContent = title
    problem.querySelector('[data-field="problem-message"]').textContent = message
    returnLink.hidden = !returnUrl
    if (returnUrl) returnLink.href = returnUrl
    show(problem)
  }

  function show(section) {
    start.hidden = true
    success.hidden = section !== success
    problem.hidden = section !== problem
    section.focus()
  }

  retry.addEventListener('click', () => {
    if (retry.dataset.reload) return window.location.reload()
    problem.hidden = true
    start.hidden = false
    say(text.ready)
    connect.focus()
  })

  // Called straight from the click, with no await before it, so popup blockers allow it.
  connect.addEventListener('click', () => {
    if (!window.FB) return
    flow = { code: null, event: null, loginDone: false, sent: false, timer: null, reported: false }
    attempt += 1
    report('connect_pressed')
    say(text.followMetaWindow)
    window.FB.login(onLogin, {
      config_id: config.configId,
      response_type: 'code',
      override_default_response_type: true,
      extras: config.extras,
    })
  })

  report('opened')

  window.fbAsyncInit = () => {
    window.FB.init({
      appId: config.appId,
      autoLogAppEvents: true,
      xfbml: false,
      version: config.graphVersion,
    })
    connect.disabled = false
    say('')
  }
  const sdk = document.createElement('script')
  sdk.src = config.sdkUrl
  sdk.async = true
  sdk.crossOrigin = 'anonymous'
  sdk.addEventListener('error', () => say(text.sdkFailed))
  document.body.appendChild(sdk)
})()
