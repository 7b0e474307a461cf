// The console's only script: copy buttons. Everything else works without JavaScript.

document.addEventListener('click', (event) => {
  const button = event.target instanceof Element ? event.target.closest('[data-copy]') : null
  if (!button) return
  const source = document.getElementById(button.getAttribute('data-copy'))
  const status = document.getElementById(button.getAttribute('aria-describedby') || '')
  if (!source) return
  const text = source.textContent.trim()
  const done = (message) => {
    if (status) status.textContent = message
  }
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(
      () => done('Copied.'),
      () => done('Could not copy: select the text and copy it.'),
    )
  } else {
    const range = document.createRange()
    range.selectNodeContents(source)
    const selection = window.getSelection()
    selection.removeAllRanges()
    selection.addRange(range)
    done('Selected: press Ctrl+C (or ⌘C) to copy.')
  }
})
