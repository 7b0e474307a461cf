import { type Kysely, sql } from 'kysely'
import { isPostgres } from '../dialect'

// Migrations are frozen in time: they take Kysely<any> and never import app code.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  // The list's exact `pagination.total` without count(*), which reads every row of the
  // organisation and mode (tens of ms at a million). Triggers keep the count in the same
  // transaction as the insert or delete, whoever writes (API, CLI, a cascade), so it is
  // exact by construction.
  await db.schema
    .createTable('onboarding_link_counts')
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('onboarding_link_counts_pk', ['organization_id', 'mode'])
    .execute()
  await sql`
    insert into onboarding_link_counts (organization_id, mode, total)
    select organization_id, mode, count(*) from onboarding_links group by organization_id, mode
  `.execute(db)
  if (isPostgres(db)) {
    await createPostgresTriggers(db)
    return
  }
  await sql`
    create trigger onboarding_link_counts_insert after insert on onboarding_links
    begin
      insert into onboarding_link_counts (organization_id, mode, total)
      values (new.organization_id, new.mode, 1)
      on conflict (organization_id, mode) do update set total = total + 1;
    end
  `.execute(db)
  await sql`
    create trigger onboarding_link_counts_delete after delete on onboarding_links
    begin
      update onboarding_link_counts set total = total - 1
      where organization_id = old.organization_id and mode = old.mode;
    end
  `.execute(db)
  // No code moves a link between organisations or modes; if anything ever does, the
  // count follows it.
  await sql`
    create trigger onboarding_link_counts_move after update of organization_id, mode on onboarding_links
    when old.organization_id is not new.organization_id or old.mode is not new.mode
    begin
      update onboarding_link_counts set total = total - 1
      where organization_id = old.organization_id and mode = old.mode;
      insert into onboarding_link_counts (organization_id, mode, total)
      values (new.organization_id, new.mode, 1)
      on conflict (organization_id, mode) do update set total = total + 1;
    end
  `.execute(db)
}

/** The same three triggers in PostgreSQL's form: one plpgsql function per trigger. */
// biome-ignore lint/suspicious/noExplicitAny: see up()
async function createPostgresTriggers(db: Kysely<any>): Promise<void> {
  await sql`
    create function onboarding_link_counts_add(org text, link_mode text) returns void as $$
      insert into onboarding_link_counts (organization_id, mode, total)
      values (org, link_mode, 1)
      on conflict (organization_id, mode) do update set total = onboarding_link_counts.total + 1
    $$ language sql
  `.execute(db)
  await sql`
    create function onboarding_link_counts_remove(org text, link_mode text) returns void as $$
      update onboarding_link_counts set total = total - 1
      where organization_id = org and mode = link_mode
    $$ language sql
  `.execute(db)
  await sql`
    create function onboarding_link_counts_track() returns trigger as $$
    begin
      if tg_op in ('DELETE', 'UPDATE') then
        perform onboarding_link_counts_remove(old.organization_id, old.mode);
      end if;
      if tg_op in ('INSERT', 'UPDATE') then
        perform onboarding_link_counts_add(new.organization_id, new.mode);
      end if;
      return null;
    end
    $$ language plpgsql
  `.execute(db)
  await sql`
    create trigger onboarding_link_counts_insert after insert on onboarding_links
    for each row execute function onboarding_link_counts_track()
  `.execute(db)
  await sql`
    create trigger onboarding_link_counts_delete after delete on onboarding_links
    for each row execute function onboarding_link_counts_track()
  `.execute(db)
  await sql`
    create trigger onboarding_link_counts_move after update of organization_id, mode on onboarding_links
    for each row
    when (old.organization_id is distinct from new.organization_id or old.mode is distinct from new.mode)
    execute function onboarding_link_counts_track()
  `.execute(db)
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    for (const name of ['move', 'delete', 'insert']) {
      await sql.raw(`drop trigger onboarding_link_counts_${name} on onboarding_links`).execute(db)
    }
    await sql`drop function onboarding_link_counts_track()`.execute(db)
    await sql`drop function onboarding_link_counts_remove(text, text)`.execute(db)
    await sql`drop function onboarding_link_counts_add(text, text)`.execute(db)
    await db.schema.dropTable('onboarding_link_counts').execute()
    return
  }
  await sql`drop trigger onboarding_link_counts_move`.execute(db)
  await sql`drop trigger onboarding_link_counts_delete`.execute(db)
  await sql`drop trigger onboarding_link_counts_insert`.execute(db)
  await db.schema.dropTable('onboarding_link_counts').execute()
}
