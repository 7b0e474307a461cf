// embed.js: lets a platform open a hosted onboarding link from its own page, in a popup, and
// hear the result without a redirect. The hosted page posts the result only to the origins
// listed in the link's allowedOrigins; this script accepts it only from that page's origin
// and from the popup it opened. Usage (from a click handler, so popup blockers allow it):
//   Onboard.open(link.hostedUrl).then((result) => …)
// result: {status: 'success' | 'cancelled' | 'error' | 'closed', onboardingLinkId,
//          externalId, phoneNumberId?, error?: {code, message}}
;(() => {
  if (window.Onboard?.open) return

  const DEFAULT_WIDTH = 520
  const DEFAULT_HEIGHT = 760
  // How often the popup is checked for having been closed by the end-user.
  const CLOSED_POLL_MS = 500
  // A result posted just before the popup closed may still be on its way: wait this long
  // after seeing it closed before resolving with 'closed'.
  const CLOSED_GRACE_MS = 1000

  function failure(code, message) {
    const error = new Error(`Onboard.open: ${message}`)
    error.code = code
    return error
  }

  /** The link id is the hosted URL's last path segment (/signup/<id>). */
  function linkIdOf(url) {
    const segments = url.pathname.split('/').filter(Boolean)
    return segments[segments.length - 1] || null
  }

  function popupFeatures(options) {
    const width = Number(options.width) || DEFAULT_WIDTH
    const height = Number(options.height) || DEFAULT_HEIGHT
    const left = Math.max(0, Math.round(window.screenX + (window.outerWidth - width) / 2))
    const top = Math.max(0, Math.round(window.screenY + (window.outerHeight - height) / 2))
    return `popup,width=${width},height=${height},left=${left},top=${top}`
  }

  /**
   * Opens the hosted page in a popup. Resolves with the result the page posts, or with
   * status 'closed' when the popup closes without one (the end-user closed it, or this
   * page's origin is not in the link's allowedOrigins). Rejects when the browser blocked
   * the popup or the URL is not an http(s) URL. Must be called from a user gesture.
   */
  function open(hostedUrl, options = {}) {
    let url
    try {
      url = new URL(hostedUrl, window.location.href)
    } catch {
      return Promise.reject(failure('invalid_url', 'hostedUrl is not a URL'))
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      return Promise.reject(failure('invalid_url', 'hostedUrl must be an http(s) URL'))
    }
    url.searchParams.set('embed', '1')
    const popup = window.open(url.href, '_blank', popupFeatures(options))
    if (!popup) {
      return Promise.reject(
        failure(
          'popup_blocked',
          'the browser blocked the popup; call Onboard.open directly from a click handler',
        ),
      )
    }
    const onboardingLinkId = linkIdOf(url)
    return new Promise((resolve) => {
      let settled = false
      let grace = null
      function settle(result) {
        if (settled) return
        settled = true
        window.removeEventListener('message', onMessage)
        clearInterval(poll)
        clearTimeout(grace)
        resolve(result)
      }
      function onMessage(event) {
        if (event.origin !== url.origin || event.source !== popup) return
        const data = event.data
        if (data?.type !== 'onboard:result' || typeof data.result?.status !== 'string') {
          return
        }
        settle(data.result)
      }
      window.addEventListener('message', onMessage)
      const poll = setInterval(() => {
        if (!popup.closed || grace !== null) return
        grace = setTimeout(
          () => settle({ status: 'closed', onboardingLinkId, externalId: null }),
          CLOSED_GRACE_MS,
        )
      }, CLOSED_POLL_MS)
    })
  }

  window.Onboard = Object.freeze({ open })
})()
