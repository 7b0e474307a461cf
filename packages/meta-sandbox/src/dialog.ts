import { type Catalogue, catalogues, fillIn, localeOfMetaLocale, splitAt } from '@onboard/views'
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
function prefillRows(
  prefill: Prefill,
  labels: Catalogue['sandbox']['prefillLabels'],
): PrefillRow[] {
  const b = prefill.business
  const address = b?.address
  const rows: Array<[string, string, string | undefined]> = [
    ['business.name', labels.businessName, b?.name],
    ['business.email', labels.businessEmail, b?.email],
    [
      'business.phone',
      labels.businessPhone,
      b?.phone ? `+${b.phone.code ?? ''} ${b.phone.number ?? ''}`.trim() : undefined,
    ],
    ['business.website', labels.website, b?.website],
    [
      'business.address',
      labels.address,
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
    ['business.timezone', labels.timezone, b?.timezone],
    ['business.id', labels.businessId, str(b?.id)],
    ['phone.displayName', labels.phoneDisplayName, prefill.phone?.displayName],
    ['phone.category', labels.phoneCategory, prefill.phone?.category],
    ['phone.description', labels.phoneDescription, prefill.phone?.description],
    ['preVerifiedPhone.ids', labels.preVerifiedPhoneIds, prefill.preVerifiedPhone?.ids?.join(', ')],
    ['solutionID', labels.solutionId, str(prefill.solutionID)],
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

/**
 * View model for the popup, with the checks Meta's dialog would refuse to start without. It
 * speaks the `locale` the SDK passed (Meta's dialog is localized by the SDK's locale).
 */
export function dialogView(query: Record<string, string>, appId: string) {
  const lang = localeOfMetaLocale(query.locale)
  const t = catalogues[lang]
  const says = t.sandbox.problems
  const problems: string[] = []
  if (query.app_id !== appId)
    problems.push(fillIn(says.invalidAppId, { appId: query.app_id ?? says.noAppId }))
  if (!query.config_id) problems.push(says.configIdRequired)
  if (query.response_type !== 'code') problems.push(says.responseType)
  if (query.override_default_response_type !== 'true') {
    problems.push(says.overrideDefaultResponseType)
  }
  const openerOrigin = httpOrigin(query.origin)
  if (!openerOrigin) problems.push(says.noOrigin)
  const extras = parseJsonObject(query.extras)
  if (!extras) problems.push(says.extrasNotObject)
  const setup = prefillSchema.safeParse(extras?.setup ?? {})
  const prefill = setup.success ? setup.data : null
  const sessionInfoVersion = str(extras?.sessionInfoVersion)
  return {
    lang,
    t: t.sandbox,
    splitAt,
    appId: query.app_id ?? '',
    configId: query.config_id ?? '',
    featureType: str(extras?.featureType) ?? '',
    sessionInfoVersion: sessionInfoVersion ?? '',
    esVersion: str(extras?.version) ?? '',
    graphVersion: query.version ?? '',
    openerOrigin: openerOrigin ?? '',
    prefillRows: prefill ? prefillRows(prefill, t.sandbox.prefillLabels) : [],
    prefillProblem: setup.success ? null : t.sandbox.prefillProblem,
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
      text: t.sandbox.script,
    }),
  }
}
