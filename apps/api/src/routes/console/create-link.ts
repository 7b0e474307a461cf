import { type ErrorDetail, isAppError, links } from '@onboard/core'
import { EVENT_TYPES } from '@onboard/webhooks'
import type { Context } from 'hono'
import { renderConsolePage } from '../../lib/console-page'
import type { AppEnv } from '../../lib/env'
import { zodIssuesToDetails } from '../../lib/errors'
import type { Router } from '../../lib/router'
import type { ConsoleDeps } from './deps'
import { renderLinkPage } from './link'

/** The form's fields, as typed (kept to show again next to their errors). */
type FormValues = Record<
  | 'name'
  | 'externalId'
  | 'redirectUrl'
  | 'webhookUrl'
  | 'webhookSecret'
  | 'metadata'
  | 'prefill'
  | 'preVerifiedPhoneIds'
  | 'expiresInSeconds',
  string
> & { webhookEvents: string[]; allowCoexistence: boolean }

const EMPTY: FormValues = {
  name: '',
  externalId: '',
  redirectUrl: '',
  webhookUrl: '',
  webhookSecret: '',
  metadata: '',
  prefill: '',
  preVerifiedPhoneIds: '',
  expiresInSeconds: '',
  webhookEvents: [],
  allowCoexistence: false,
}

function valuesOf(form: URLSearchParams): FormValues {
  const text = (name: keyof FormValues) => (form.get(name) ?? '').slice(0, 20_000)
  return {
    name: text('name'),
    externalId: text('externalId'),
    redirectUrl: text('redirectUrl'),
    webhookUrl: text('webhookUrl'),
    webhookSecret: text('webhookSecret'),
    metadata: text('metadata'),
    prefill: text('prefill'),
    preVerifiedPhoneIds: text('preVerifiedPhoneIds'),
    expiresInSeconds: text('expiresInSeconds'),
    webhookEvents: form.getAll('webhookEvents'),
    allowCoexistence: form.get('allowCoexistence') === 'on',
  }
}

/**
 * The form as the API's JSON body: empty fields are left out, JSON fields parsed, ids split,
 * the lifetime a number. What cannot even be read becomes a field error here; everything else
 * is judged by the API's own schema.
 */
function bodyOf(values: FormValues): { body: Record<string, unknown>; errors: ErrorDetail[] } {
  const body: Record<string, unknown> = { name: values.name }
  const errors: ErrorDetail[] = []
  for (const field of ['externalId', 'redirectUrl', 'webhookUrl', 'webhookSecret'] as const) {
    if (values[field].trim() !== '') body[field] = values[field].trim()
  }
  for (const field of ['metadata', 'prefill'] as const) {
    if (values[field].trim() === '') continue
    try {
      body[field] = JSON.parse(values[field])
    } catch {
      errors.push({ field, message: 'must be a JSON object, e.g. {"plan": "pro"}' })
    }
  }
  if (values.preVerifiedPhoneIds.trim() !== '') {
    body.preVerifiedPhoneIds = values.preVerifiedPhoneIds.split(/[\s,]+/).filter(Boolean)
  }
  if (values.webhookEvents.length > 0) body.webhookEvents = values.webhookEvents
  if (values.allowCoexistence) body.allowCoexistence = true
  if (values.expiresInSeconds.trim() !== '') {
    const seconds = Number(values.expiresInSeconds.trim())
    if (!/^\d+$/.test(values.expiresInSeconds.trim())) {
      errors.push({ field: 'expiresInSeconds', message: 'must be a whole number of seconds' })
    } else body.expiresInSeconds = seconds
  }
  return { body, errors }
}

/** `webhookEvents[1]` and `prefill.business.email` are shown next to their form field. */
function byField(details: ErrorDetail[]): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const detail of details) {
    const field = detail.field.split(/[.[]/)[0] || 'form'
    const rest = detail.field.slice(field.length).replace(/^\./, '')
    const message = rest ? `${rest}: ${detail.message}` : detail.message
    out[field] = [...(out[field] ?? []), message]
  }
  return out
}

function renderForm(
  c: Context<AppEnv>,
  deps: ConsoleDeps,
  values: FormValues,
  errors: Record<string, string[]> = {},
  formError: { message: string; status: 400 | 409 | 422 } | null = null,
) {
  const count = Object.values(errors).reduce((n, list) => n + list.length, 0)
  return renderConsolePage(c, deps, 'create-link', {
    title: count > 0 || formError ? 'Fix the link' : 'Create a link',
    section: 'links',
    status: formError ? formError.status : count > 0 ? 400 : 200,
    values,
    errors,
    errorCount: count,
    formError: formError?.message ?? null,
    eventTypes: EVENT_TYPES,
  })
}

/** A form with the API's fields, validated by the API's schema and created by its core function. */
export function registerCreateLinkPage(router: Router, deps: ConsoleDeps) {
  router.get('/console/create-link', (c) => renderForm(c, deps, EMPTY))

  router.post('/console/create-link', async (c) => {
    const session = c.var.console
    const values = valuesOf(c.var.form)
    const { body, errors } = bodyOf(values)
    const parsed = links.createOnboardingLinkSchema.safeParse(body)
    const details = [...errors, ...(parsed.success ? [] : zodIssuesToDetails(parsed.error.issues))]
    if (details.length > 0 || !parsed.success) return renderForm(c, deps, values, byField(details))
    try {
      const link = await links.createOnboardingLink(
        deps.core,
        { metaApps: deps.metaApps, webhookTargets: deps.config.webhooks },
        { organizationId: session.organizationId, mode: session.mode },
        parsed.data,
      )
      // A generated webhook secret is shown once, so that page is this answer; otherwise
      // the browser goes to the link's page (a reload then creates nothing).
      if (link.webhookSecret) {
        return renderLinkPage(c, deps, link.id, {
          created: true,
          webhookSecret: link.webhookSecret,
        })
      }
      return c.redirect(`/console/links/${link.id}?created=1`, 303)
    } catch (error) {
      if (!isAppError(error) || error.status >= 500) throw error
      if (error.details?.length) return renderForm(c, deps, values, byField(error.details))
      const status = error.status === 409 || error.status === 422 ? error.status : 400
      return renderForm(c, deps, values, {}, { message: error.message, status })
    }
  })
}
