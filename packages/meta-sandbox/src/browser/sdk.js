// Stand-in for Meta's JS SDK (connect.facebook.net/{locale}/sdk.js) in test mode.
// It opens the sandbox's Embedded Signup popup instead of Facebook's dialog. The sandbox
// origin and the locale come from this script's own URL (…/es_LA/sdk.js), as Meta's SDK takes
// its locale from its path and hands it to its dialogs; plain …/sdk.js is en_US.
;(() => {
  if (window.FB?.__sandbox) return

  const script = document.currentScript
  if (!script?.src) {
    console.error('[sandbox sdk] cannot find its own URL; load it with a plain <script src>.')
    return
  }
  const sdkUrl = new URL(script.src, window.location.href)
  const sandboxOrigin = sdkUrl.origin
  const localePath = /\/([a-z]{2}_[A-Z]{2})\/sdk\.js(?:[?#].*)?$/.exec(sdkUrl.href)
  const locale = localePath ? localePath[1] : 'en_US'
  const sandboxBase = sdkUrl.href.replace(/(?:\/[a-z]{2}_[A-Z]{2})?\/sdk\.js(?:[?#].*)?$/, '')
  const notConnected = () => ({ authResponse: null, status: 'unknown' })
  const CLOSE_GRACE_MS = 500

  let settings = null
  let pending = null

  function finish(response) {
    if (!pending) return
    const { callback, timer } = pending
    pending = null
    clearInterval(timer)
    callback(response)
  }

  function failLater(callback, message) {
    console.error(`[sandbox sdk] ${message}`)
    setTimeout(() => callback(notConnected()), 0)
  }

  function randomId() {
    return window.crypto?.randomUUID ? window.crypto.randomUUID() : String(Math.random()).slice(2)
  }

  // The popup hands the login result back on this private channel, next to WA_EMBEDDED_SIGNUP.
  window.addEventListener('message', (event) => {
    if (!pending || event.origin !== sandboxOrigin || typeof event.data !== 'string') return
    let message
    try {
      message = JSON.parse(event.data)
    } catch {
      return
    }
    if (message?.type === 'SANDBOX_FB_LOGIN_RESPONSE' && message.loginId === pending.loginId) {
      finish(message.response)
    }
  })

  function validate(options) {
    const problems = []
    if (!options.config_id) problems.push('config_id is required for Embedded Signup')
    if (options.response_type !== 'code') problems.push("response_type must be 'code'")
    if (options.override_default_response_type !== true) {
      problems.push('override_default_response_type must be true')
    }
    return problems
  }

  const FB = {
    __sandbox: true,
    init(options) {
      settings = { ...(options || {}) }
    },
    getLoginStatus(callback) {
      if (typeof callback === 'function') callback(notConnected())
    },
    logout(callback) {
      if (typeof callback === 'function') callback(notConnected())
    },
    // Must run synchronously inside a click handler: window.open happens before it returns.
    login(callback, options) {
      if (typeof callback !== 'function') {
        console.error('[sandbox sdk] FB.login needs a callback function')
        return
      }
      if (callback.constructor?.name === 'AsyncFunction') {
        console.error('Expression is of type asyncfunction, not function')
        return
      }
      if (!settings?.appId) {
        failLater(callback, 'FB.login() called before FB.init().')
        return
      }
      const opts = options || {}
      const problems = validate(opts)
      if (problems.length > 0) {
        failLater(callback, problems.join('; '))
        return
      }
      if (pending) finish(notConnected())
      const loginId = randomId()
      const params = new URLSearchParams({
        app_id: String(settings.appId),
        config_id: String(opts.config_id),
        response_type: opts.response_type,
        override_default_response_type: 'true',
        extras: JSON.stringify(opts.extras || {}),
        origin: window.location.origin,
        login_id: loginId,
        version: String(settings.version || ''),
        display: 'popup',
        locale,
      })
      const popup = window.open(
        `${sandboxBase}/dialog/embedded-signup?${params}`,
        'sandbox_embedded_signup',
        'popup=yes,width=640,height=820',
      )
      if (!popup) {
        failLater(callback, 'the popup was blocked; call FB.login directly inside a click handler')
        return
      }
      let closedAt = null
      const timer = setInterval(() => {
        if (!pending || pending.loginId !== loginId || !popup.closed) return
        // Messages posted just before the popup closed may still be queued: give them a moment.
        closedAt = closedAt ?? Date.now()
        if (Date.now() - closedAt >= CLOSE_GRACE_MS) finish(notConnected())
      }, 100)
      pending = { loginId, callback, timer }
    },
  }

  window.FB = FB
  const init = window.fbAsyncInit
  if (typeof init === 'function' && !init.hasRun) {
    init.hasRun = true
    init()
  }
})()
