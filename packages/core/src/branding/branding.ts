import { createHash } from 'node:crypto'
import { brandingStore } from '@onboard/db'
import type { CoreContext, Tenant } from '../context'
import { darkerShade } from './contrast'
import { checkLogo, extensionMatches, logoPath, parseLogoFileName } from './logo'
import type { Branding, UpdateBrandingInput } from './schemas'

type BrandingRow = brandingStore.BrandingRow

const EMPTY: BrandingRow = {
  display_name: null,
  accent_color: null,
  support_email: null,
  support_url: null,
  logo_sha256: null,
  logo_content_type: null,
}

function serialize(ctx: CoreContext, row: BrandingRow): Branding {
  return {
    displayName: row.display_name,
    accentColor: row.accent_color,
    supportEmail: row.support_email,
    supportUrl: row.support_url,
    logoUrl:
      row.logo_sha256 && row.logo_content_type
        ? `${ctx.publicBaseUrl}${logoPath(row.logo_sha256, row.logo_content_type)}`
        : null,
  }
}

async function read(ctx: CoreContext, tenant: Tenant): Promise<BrandingRow> {
  return (await brandingStore.findBranding(ctx.db, tenant)) ?? EMPTY
}

/** The tenant's branding: its organisation's, for its mode (nulls when never set). */
export async function getBranding(ctx: CoreContext, tenant: Tenant): Promise<Branding> {
  return serialize(ctx, await read(ctx, tenant))
}

/** Sets the fields given (null clears one) and leaves the others as they were. */
export async function updateBranding(
  ctx: CoreContext,
  tenant: Tenant,
  input: UpdateBrandingInput,
): Promise<Branding> {
  const fields: brandingStore.BrandingFields = {}
  if (input.displayName !== undefined) fields.display_name = input.displayName
  if (input.accentColor !== undefined) fields.accent_color = input.accentColor
  if (input.supportEmail !== undefined) fields.support_email = input.supportEmail
  if (input.supportUrl !== undefined) fields.support_url = input.supportUrl
  if (Object.keys(fields).length > 0) {
    await brandingStore.upsertBrandingFields(ctx.db, tenant, fields, ctx.now().toISOString())
  }
  return getBranding(ctx, tenant)
}

/** Replaces the logo with these bytes, once `checkLogo` has accepted their type and size. */
export async function setBrandingLogo(
  ctx: CoreContext,
  tenant: Tenant,
  contentType: string | undefined,
  bytes: Buffer,
): Promise<Branding> {
  const type = checkLogo(contentType, bytes)
  const sha256 = createHash('sha256').update(bytes).digest('hex')
  await brandingStore.setLogo(
    ctx.db,
    tenant,
    { sha256, contentType: type, bytes },
    ctx.now().toISOString(),
  )
  return getBranding(ctx, tenant)
}

export async function removeBrandingLogo(ctx: CoreContext, tenant: Tenant): Promise<Branding> {
  await brandingStore.clearLogo(ctx.db, tenant, ctx.now().toISOString())
  return getBranding(ctx, tenant)
}

/** What a hosted page of this tenant shows; null when nothing is set. */
export interface HostedBranding {
  displayName: string | null
  /** The accent and its hover shade, both with white text at WCAG AA or better. */
  accent: { color: string; hover: string } | null
  supportEmail: string | null
  supportUrl: string | null
  /** A path on this service (the page's own origin). */
  logoPath: string | null
}

export async function findHostedBranding(
  ctx: CoreContext,
  tenant: Tenant,
): Promise<HostedBranding | null> {
  const row = await brandingStore.findBranding(ctx.db, tenant)
  if (!row) return null
  const branding: HostedBranding = {
    displayName: row.display_name,
    accent: row.accent_color
      ? { color: row.accent_color, hover: darkerShade(row.accent_color) }
      : null,
    supportEmail: row.support_email,
    supportUrl: row.support_url,
    logoPath:
      row.logo_sha256 && row.logo_content_type
        ? logoPath(row.logo_sha256, row.logo_content_type)
        : null,
  }
  return Object.values(branding).some((value) => value !== null) ? branding : null
}

/**
 * A logo by its file name (`<sha256>.<ext>`), whoever's it is: the name is its content, so
 * the bytes are the same for every organisation that uploaded them.
 */
export async function findLogo(
  ctx: CoreContext,
  fileName: string,
): Promise<{ contentType: string; bytes: Buffer } | null> {
  const name = parseLogoFileName(fileName)
  if (!name) return null
  const logo = await brandingStore.findLogoBySha256(ctx.db, name.sha256)
  if (!logo || !extensionMatches(logo.contentType, name.extension)) return null
  return logo
}
