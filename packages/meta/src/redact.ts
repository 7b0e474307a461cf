/** Shapes of Meta credentials, scrubbed even when we were not told the exact value. */
const CREDENTIAL_PATTERNS = [
  /EAA[A-Za-z0-9_-]{16,}/g, // access tokens
  /AQ[A-Za-z0-9_-]{40,}/g, // Embedded Signup authorization codes
  /\d{6,}\|[A-Za-z0-9_-]{16,}/g, // app access tokens APP_ID|APP_SECRET
]

/** Removes every known secret and anything shaped like a Meta credential from `text`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('[redacted]')
  }
  for (const pattern of CREDENTIAL_PATTERNS) out = out.replace(pattern, '[redacted]')
  return out
}
