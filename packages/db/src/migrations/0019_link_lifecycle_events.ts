import { type Kysely, sql } from 'kysely'

// Migrations are frozen in time: they take Kysely<any> and never import app code.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  // When the worker raised onboarding_link.expired for the link's current expiry: the
  // worker claims a link by setting it (only where it is null), so the event is raised once
  // however many workers tick; a renewal clears it, so a later expiry raises it again.
  await db.schema.alterTable('onboarding_links').addColumn('expired_event_at', 'text').execute()
  // onboarding_link.failed events raised for the link since it was created or renewed: each
  // is taken by a conditional increment below a cap, so a page reporting errors in a loop
  // cannot emit unbounded events.
  await db.schema
    .alterTable('onboarding_links')
    .addColumn('failed_events', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  // The worker's expiry tick reads pending links past their expiry not yet announced: only
  // those are indexed, so the index stays small however many links expired long ago.
  await db.schema
    .createIndex('onboarding_links_expiry_due')
    .on('onboarding_links')
    .columns(['expires_at'])
    .where(sql.ref('status'), '=', 'pending')
    .where(sql.ref('expired_event_at'), 'is', null)
    .execute()
  // A link's own webhook, registered at its first lifecycle event before any WABA exists
  // (waba_id null): one per link, so two events raised at once cannot create two.
  await db.schema
    .createIndex('outgoing_webhooks_one_awaiting_link')
    .on('outgoing_webhooks')
    .columns(['onboarding_link_id'])
    .unique()
    .where(sql.ref('waba_id'), 'is', null)
    .execute()
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('outgoing_webhooks_one_awaiting_link').execute()
  await db.schema.dropIndex('onboarding_links_expiry_due').execute()
  await db.schema.alterTable('onboarding_links').dropColumn('failed_events').execute()
  await db.schema.alterTable('onboarding_links').dropColumn('expired_event_at').execute()
}
