import { type Kysely, sql } from 'kysely'

// Migrations are frozen in time: they take Kysely<any> and never import app code.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  // People who sign in to /console. Each belongs to one organisation; an email is one person
  // across the deployment, so sign-in finds exactly one user by it.
  await db.schema
    .createTable('console_users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    // Lower-cased and trimmed before it is stored.
    .addColumn('email', 'text', (c) => c.notNull().unique())
    // `scrypt$N$r$p$salt$hash` (base64): the parameters travel with the hash.
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_sign_in_at', 'text')
    .execute()
  await db.schema
    .createIndex('console_users_org')
    .on('console_users')
    .columns(['organization_id', 'created_at'])
    .execute()

  // Signed-in browsers. The cookie holds a random token; only its SHA-256 is stored, so a
  // copy of the database signs nobody in.
  await db.schema
    .createTable('console_sessions')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) =>
      c.notNull().references('console_users.id').onDelete('cascade'),
    )
    .addColumn('organization_id', 'text', (c) => c.notNull())
    // The console's test/live switch: chooses which of the organisation's data is shown.
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('test', 'live')`))
    // Sent back in every form; a POST without it is refused.
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('console_sessions_user')
    .on('console_sessions')
    .column('user_id')
    .execute()
  await db.schema
    .createIndex('console_sessions_expires')
    .on('console_sessions')
    .column('expires_at')
    .execute()

  // Failed sign-ins, by a hashed key (`email:…` or `ip:…`): in the database, not in memory,
  // so every replica counts the same attempts.
  await db.schema
    .createTable('console_sign_in_failures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('key_hash', 'text', (c) => c.notNull())
    .addColumn('attempted_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('console_sign_in_failures_key')
    .on('console_sign_in_failures')
    .columns(['key_hash', 'attempted_at'])
    .execute()

  // What happened on a link's hosted page, as the page reported it: opened, Connect pressed,
  // Meta's answer. `dedupe_key` makes a repeated report of one render's step one row.
  await db.schema
    .createTable('link_activity')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('test', 'live')`))
    .addColumn('onboarding_link_id', 'text', (c) =>
      c.notNull().references('onboarding_links.id').onDelete('cascade'),
    )
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('opened', 'connect_pressed', 'meta_result')`),
    )
    // JSON text: Meta's result (finished, cancelled at a step, error code and message).
    .addColumn('detail', 'text')
    .addColumn('dedupe_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('link_activity_dedupe')
    .on('link_activity')
    .columns(['onboarding_link_id', 'dedupe_key'])
    .unique()
    .execute()
  // The funnel counts a scope's activity of the last 30 days.
  await db.schema
    .createIndex('link_activity_scope')
    .on('link_activity')
    .columns(['organization_id', 'mode', 'created_at'])
    .execute()
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('link_activity').execute()
  await db.schema.dropTable('console_sign_in_failures').execute()
  await db.schema.dropTable('console_sessions').execute()
  await db.schema.dropTable('console_users').execute()
}
