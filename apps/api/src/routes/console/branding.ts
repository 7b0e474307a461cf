import { branding, isAppError } from '@onboard/core'
import type { Context } from 'hono'
import { renderConsolePage } from '../../lib/console-page'
import type { AppEnv } from '../../lib/env'
import type { Router } from '../../lib/router'
import type { ConsoleDeps } from './deps'
import { type FieldErrors, parseForm, tenantOf } from './forms'

const FIELDS = ['displayName', 'accentColor', 'supportEmail', 'supportUrl'] as const
type FormValues = Record<(typeof FIELDS)[number], string>

const NOTICES = {
  saved: 'Branding saved. Hosted pages of this mode show it from now on.',
  logo: 'Logo uploaded.',
  removed: 'Logo removed.',
} as const

interface BrandingPageState {
  values?: FormValues
  errors?: FieldErrors
  logoError?: string
  status?: 200 | 400 | 413 | 415
}

/** The branding of the session's mode: the form (as typed, when refused) and the logo. */
async function renderBrandingPage(
  c: Context<AppEnv>,
  deps: ConsoleDeps,
  state: BrandingPageState = {},
): Promise<Response> {
  const current = await branding.getBranding(deps.core, tenantOf(c))
  const done = c.req.query('done')
  return renderConsolePage(c, deps, 'branding', {
    title: 'Branding',
    section: 'branding',
    status: state.status ?? 200,
    notice: done && Object.hasOwn(NOTICES, done) ? NOTICES[done as keyof typeof NOTICES] : null,
    values:
      state.values ?? Object.fromEntries(FIELDS.map((field) => [field, current[field] ?? ''])),
    errors: state.errors ?? {},
    logoError: state.logoError ?? null,
    logoPath: current.logoUrl ? new URL(current.logoUrl).pathname : null,
    maxLogoKb: branding.MAX_LOGO_BYTES / 1024,
  })
}

/** An empty field clears it (null), as the API's null does. */
function bodyOf(values: FormValues): Record<string, string | null> {
  return Object.fromEntries(
    FIELDS.map((field) => [field, values[field].trim() === '' ? null : values[field].trim()]),
  )
}

/** The Branding page: edits what the hosted pages of the session's mode show. */
export function registerBrandingPage(router: Router, deps: ConsoleDeps) {
  router.get('/console/branding', (c) => renderBrandingPage(c, deps))

  router.post('/console/branding', async (c) => {
    const values = Object.fromEntries(
      FIELDS.map((field) => [field, (c.var.form.get(field) ?? '').slice(0, 4096)]),
    ) as FormValues
    const parsed = parseForm(branding.updateBrandingSchema, bodyOf(values))
    if (!parsed.ok)
      return renderBrandingPage(c, deps, { values, errors: parsed.errors, status: 400 })
    await branding.updateBranding(deps.core, tenantOf(c), parsed.data)
    return c.redirect('/console/branding?done=saved', 303)
  })

  // Multipart (the upload) or url-encoded (the remove button); consoleGate reads either.
  router.post('/console/branding/logo', async (c) => {
    const tenant = tenantOf(c)
    if (c.var.form.get('action') === 'remove') {
      await branding.removeBrandingLogo(deps.core, tenant)
      return c.redirect('/console/branding?done=removed', 303)
    }
    const file = (c.get('files') as Map<string, { type: string; bytes: Buffer }> | undefined)?.get(
      'logo',
    )
    if (!file || file.bytes.length === 0) {
      return renderBrandingPage(c, deps, { logoError: 'Choose an image file.', status: 400 })
    }
    try {
      await branding.setBrandingLogo(deps.core, tenant, file.type, file.bytes)
    } catch (error) {
      if (!isAppError(error) || ![400, 413, 415].includes(error.status)) throw error
      return renderBrandingPage(c, deps, {
        logoError: error.message,
        status: error.status as 400 | 413 | 415,
      })
    }
    return c.redirect('/console/branding?done=logo', 303)
  })
}
