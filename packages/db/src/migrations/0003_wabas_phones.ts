import { type Kysely, sql } from 'kysely'

// Migrations are frozen in time: they take Kysely<any> and never import app code.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('wabas')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('test', 'live')`))
    .addColumn('meta_waba_id', 'text', (c) => c.notNull())
    .addColumn('meta_business_id', 'text')
    .addColumn('business_name', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('currency', 'text')
    .addColumn('timezone_id', 'text')
    .addColumn('access_token_enc', 'text', (c) => c.notNull())
    .addColumn('token_expires_at', 'text')
    .addColumn('connected_account', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('is_subscribed', 'integer', (c) => c.notNull())
    .addColumn('subscription_error', 'text')
    .addColumn('metadata', 'text')
    .addColumn('onboarding_link_id', 'text')
    .addColumn('external_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    // One connection per Meta WABA per organisation and mode: the second signup is refused.
    .addUniqueConstraint('wabas_unique_meta_id', ['organization_id', 'mode', 'meta_waba_id'])
    .execute()
  await db.schema
    .createIndex('wabas_list')
    .on('wabas')
    .columns(['organization_id', 'mode', 'created_at desc', 'id desc'])
    .execute()

  await db.schema
    .createTable('phone_numbers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('test', 'live')`))
    .addColumn('waba_id', 'text', (c) => c.notNull().references('wabas.id'))
    .addColumn('meta_phone_number_id', 'text', (c) => c.notNull())
    .addColumn('phone_number', 'text', (c) => c.notNull())
    .addColumn('display_phone_number', 'text', (c) => c.notNull())
    .addColumn('verified_name', 'text')
    .addColumn('quality_rating', 'text')
    .addColumn('code_verification_status', 'text')
    .addColumn('platform_type', 'text')
    .addColumn('meta_status', 'text')
    .addColumn('name_status', 'text')
    .addColumn('is_registered', 'integer', (c) => c.notNull())
    .addColumn('registration_error', 'text')
    .addColumn('pin_enc', 'text')
    .addColumn('is_coexistence', 'integer', (c) => c.notNull())
    .addColumn('metadata', 'text')
    .addColumn('onboarding_link_id', 'text')
    .addColumn('external_id', 'text')
    .addColumn('last_health', 'text')
    .addColumn('last_health_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('phone_numbers_unique_meta_id', [
      'organization_id',
      'mode',
      'meta_phone_number_id',
    ])
    .execute()
  await db.schema
    .createIndex('phone_numbers_list')
    .on('phone_numbers')
    .columns(['organization_id', 'mode', 'created_at desc', 'id desc'])
    .execute()
  await db.schema
    .createIndex('phone_numbers_by_waba')
    .on('phone_numbers')
    .column('waba_id')
    .execute()

  // Every finished, cancelled or failed try at a link: what happened and where the user stopped.
  await db.schema
    .createTable('signup_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('test', 'live')`))
    .addColumn('onboarding_link_id', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('event', 'text')
    .addColumn('step', 'text')
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('meta_session_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('signup_attempts_by_link')
    .on('signup_attempts')
    .columns(['onboarding_link_id', 'created_at'])
    .execute()
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['signup_attempts', 'phone_numbers', 'wabas']) {
    await db.schema.dropTable(table).execute()
  }
}
