import type { Db } from '../create-db'
import type { OrganizationBrandingRow } from '../schema'
import type { Scope } from './scope'

/** What the API and the pages read of a scope's branding: everything but the logo's bytes. */
const BRANDING_COLUMNS = [
  'display_name',
  'accent_color',
  'support_email',
  'support_url',
  'logo_sha256',
  'logo_content_type',
] as const

export type BrandingRow = Pick<OrganizationBrandingRow, (typeof BRANDING_COLUMNS)[number]>

/** The fields a change may set; a field left out keeps its value, null clears it. */
export type BrandingFields = Partial<
  Pick<BrandingRow, 'display_name' | 'accent_color' | 'support_email' | 'support_url'>
>

export interface LogoBytes {
  sha256: string
  contentType: string
  bytes: Buffer
}

const key = (scope: Scope) => ({ organization_id: scope.organizationId, mode: scope.mode })

export function findBranding(db: Db, scope: Scope): Promise<BrandingRow | undefined> {
  return db
    .selectFrom('organization_branding')
    .select(BRANDING_COLUMNS)
    .where('organization_id', '=', scope.organizationId)
    .where('mode', '=', scope.mode)
    .executeTakeFirst()
}

/** Creates the scope's row on its first change, so an organisation without one has no row. */
export async function upsertBrandingFields(
  db: Db,
  scope: Scope,
  fields: BrandingFields,
  at: string,
): Promise<void> {
  await db
    .insertInto('organization_branding')
    .values({ ...key(scope), ...fields, updated_at: at })
    .onConflict((conflict) =>
      conflict.columns(['organization_id', 'mode']).doUpdateSet({ ...fields, updated_at: at }),
    )
    .execute()
}

export async function setLogo(db: Db, scope: Scope, logo: LogoBytes, at: string): Promise<void> {
  const values = {
    logo_sha256: logo.sha256,
    logo_content_type: logo.contentType,
    logo_bytes: logo.bytes,
    updated_at: at,
  }
  await db
    .insertInto('organization_branding')
    .values({ ...key(scope), ...values })
    .onConflict((conflict) => conflict.columns(['organization_id', 'mode']).doUpdateSet(values))
    .execute()
}

export async function clearLogo(db: Db, scope: Scope, at: string): Promise<void> {
  await db
    .updateTable('organization_branding')
    .set({ logo_sha256: null, logo_content_type: null, logo_bytes: null, updated_at: at })
    .where('organization_id', '=', scope.organizationId)
    .where('mode', '=', scope.mode)
    .execute()
}

/** Any scope's logo with these bytes: the URL names the content, not whose it is. */
export async function findLogoBySha256(
  db: Db,
  sha256: string,
): Promise<{ contentType: string; bytes: Buffer } | undefined> {
  const row = await db
    .selectFrom('organization_branding')
    .select(['logo_content_type', 'logo_bytes'])
    .where('logo_sha256', '=', sha256)
    .limit(1)
    .executeTakeFirst()
  if (!row?.logo_bytes || !row.logo_content_type) return undefined
  return { contentType: row.logo_content_type, bytes: Buffer.from(row.logo_bytes) }
}
