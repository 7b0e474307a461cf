// The Embedded Signup popup stand-in: plays the picked scenario through POST /signups and
// hands the page what Meta would: a WA_EMBEDDED_SIGNUP message event and the login response.
;(() => {
  const config = JSON.parse(document.getElementById('signup-dialog-data').textContent)
  // The words this script shows, in the dialog's locale.
  const text = config.text
  const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, name) => values[name])
  const status = document.getElementById('status')
  const controls = document.querySelectorAll('button[data-scenario]')

  function say(text) {
    status.textContent = text
  }

  function readOptions() {
    const value = (name) => document.querySelector(`[data-option="${name}"]`)
    return {
      expiredCode: value('expired-code').checked,
      sharedWaba: value('shared-waba').checked,
      registerFails: value('register-fails').checked,
      health: value('health').value,
      rateLimit: value('rate-limit').value === 'none' ? false : value('rate-limit').value,
    }
  }

  function deliver(result, order, scenario) {
    const opener = window.opener
    if (!opener) {
      say(text.openerGone)
      return
    }
    const event = JSON.stringify(result.event)
    if (scenario === 'tab-closed') {
      // The page sees Meta's FINISH, then its tab closes before FB.login's callback: the code
      // never reaches it. Meta's install webhook for the WABA follows all the same.
      opener.postMessage(event, config.openerOrigin)
      say(text.doneTabClosed)
      setTimeout(() => window.close(), 50)
      return
    }
    const login = JSON.stringify({
      type: 'SANDBOX_FB_LOGIN_RESPONSE',
      loginId: config.loginId,
      response: result.authResponse,
    })
    if (order === 'event-first') opener.postMessage(event, config.openerOrigin)
    opener.postMessage(login, config.openerOrigin)
    if (order === 'callback-first') opener.postMessage(event, config.openerOrigin)
    say(text.done)
    setTimeout(() => window.close(), 50)
  }

  async function play(scenario) {
    for (const button of controls) button.disabled = true
    say(text.working)
    try {
      const body = { scenario, options: readOptions() }
      if (config.prefill) body.prefill = config.prefill
      if (config.sessionInfoVersion) body.sessionInfoVersion = config.sessionInfoVersion
      const response = await fetch(config.signupsUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
      if (!response.ok) throw new Error(fill(text.httpStatus, { status: response.status }))
      deliver(
        await response.json(),
        document.querySelector('[data-option="order"]').value,
        scenario,
      )
    } catch (error) {
      say(fill(text.couldNotFinish, { reason: error.message }))
      for (const button of controls) button.disabled = false
    }
  }

  for (const button of controls) {
    button.addEventListener('click', () => play(button.dataset.scenario))
  }
  const close = document.querySelector('[data-action="close"]')
  if (close) close.addEventListener('click', () => window.close())
})()
