import { SANDBOX_SHARED_WABA_ID } from './constants'
import { type Prefill, prefillSchema } from './schemas'

interface PrefillRow {
  key: string
  label: string
  value: string
}

function parseJsonObject(raw: string | undefined): Record<string, unknown> | null {
  if (!raw) return {}
  try {
    const value: unknown = JSON.parse(raw)
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null
  } catch {
    return null
  }
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined
}

/** The prefill as label/value rows, so a person can see exactly what the page passed. */
function prefillRows(prefill: Prefill): PrefillRow[] {
  const b = prefill.business
  const address = b?.address
  const rows: Array<[string, string, string | undefined]> = [
    ['business.name', 'Business name', b?.name],
    ['business.email', 'Business email', b?.email],
    [
      'business.phone',
      'Business phone',
      b?.phone ? `+${b.phone.code ?? ''} ${b.phone.number ?? ''}`.trim() : undefined,
    ],
    ['business.website', 'Website', b?.website],
    [
      'business.address',
      'Address',
      address
        ? [
            address.streetAddress1,
            address.streetAddress2,
            address.city,
            address.state,
            address.zipPostal,
            address.country,
          ]
            .filter(Boolean)
            .join(', ')
        : undefined,
    ],
    ['business.timezone', 'Timezone', b?.timezone],
    ['business.id', 'Business portfolio id', str(b?.id)],
    ['phone.displayName', 'Phone display name', prefill.phone?.displayName],
    ['phone.category', 'Phone category', prefill.phone?.category],
    ['phone.description', 'Phone description', prefill.phone?.description],
    ['preVerifiedPhone.ids', 'Pre-verified phone ids', prefill.preVerifiedPhone?.ids?.join(', ')],
    ['solutionID', 'Solution id', str(prefill.solutionID)],
  ]
  return rows
    .filter((row): row is [string, string, string] => typeof row[2] === 'string' && row[2] !== '')
    .map(([key, label, value]) => ({ key, label, value }))
}

/** JSON inside <script> must not be able to close the element. */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
}

function httpOrigin(raw: string | undefined): string | null {
  if (!raw) return null
  try {
    const url = new URL(raw)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === raw
      ? raw
      : null
  } catch {
    return null
  }
}

/** View model for the popup, with the checks Meta's dialog would refuse to start without. */
export function dialogView(query: Record<string, string>, appId: string) {
  const problems: string[] = []
  if (query.app_id !== appId)
    problems.push(`Invalid App ID: ${query.app_id ?? '(none)'} is not the sandbox app.`)
  if (!query.config_id) problems.push('config_id is required for Embedded Signup.')
  if (query.response_type !== 'code') problems.push("response_type must be 'code'.")
  if (query.override_default_response_type !== 'true') {
    problems.push('override_default_response_type must be true.')
  }
  const openerOrigin = httpOrigin(query.origin)
  if (!openerOrigin)
    problems.push('The opening page did not say its origin; nothing can be delivered.')
  const extras = parseJsonObject(query.extras)
  if (!extras) problems.push('extras is not a JSON object.')
  const setup = prefillSchema.safeParse(extras?.setup ?? {})
  const prefill = setup.success ? setup.data : null
  const sessionInfoVersion = str(extras?.sessionInfoVersion)
  return {
    appId: query.app_id ?? '',
    configId: query.config_id ?? '',
    featureType: str(extras?.featureType) ?? '',
    sessionInfoVersion: sessionInfoVersion ?? '',
    esVersion: str(extras?.version) ?? '',
    graphVersion: query.version ?? '',
    openerOrigin: openerOrigin ?? '',
    prefillRows: prefill ? prefillRows(prefill) : [],
    prefillProblem: setup.success
      ? null
      : 'The prefill (extras.setup) was not understood and is ignored.',
    problems,
    sharedWabaId: SANDBOX_SHARED_WABA_ID,
    // Relative to /dialog/embedded-signup, so the popup works wherever the sandbox is mounted.
    assetsUrl: '../assets',
    dataJson: scriptSafeJson({
      loginId: query.login_id ?? '',
      openerOrigin,
      signupsUrl: '../signups',
      prefill,
      sessionInfoVersion:
        sessionInfoVersion === '2' || sessionInfoVersion === '3' ? sessionInfoVersion : null,
    }),
  }
}
