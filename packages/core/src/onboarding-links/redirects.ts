import type { OnboardingLinkRow } from '@onboard/db'

/**
 * The customer's redirectUrl plus the seed's parameters. Existing query strings and app
 * schemes (`myapp://cb`) survive; metadata never goes in the URL.
 */
function withParams(link: OnboardingLinkRow, params: Record<string, string>): string | null {
  if (!link.redirect_url) return null
  const url = new URL(link.redirect_url)
  url.searchParams.set('onboarding_link_id', link.id)
  if (link.external_id !== null) url.searchParams.set('external_id', link.external_id)
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value)
  return url.toString()
}

export function successRedirect(link: OnboardingLinkRow): string | null {
  return withParams(link, { status: 'success' })
}

/** `status=error&error=<brief message>`, plus `error_code` for code that wants to branch on it. */
export function errorRedirect(
  link: OnboardingLinkRow,
  error: { code: string; message: string },
): string | null {
  return withParams(link, { status: 'error', error: error.message, error_code: error.code })
}
