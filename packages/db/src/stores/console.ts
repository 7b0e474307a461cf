import type { Db } from '../create-db'
import type { ConsoleSessionRow, ConsoleUserRow, Mode } from '../schema'

export async function insertUser(db: Db, row: ConsoleUserRow): Promise<void> {
  await db.insertInto('console_users').values(row).execute()
}

/** A user by (already normalised) email, in any organisation: sign-in knows only the email. */
export function findUserByEmail(db: Db, email: string): Promise<ConsoleUserRow | undefined> {
  return db.selectFrom('console_users').selectAll().where('email', '=', email).executeTakeFirst()
}

export function findUser(db: Db, id: string): Promise<ConsoleUserRow | undefined> {
  return db.selectFrom('console_users').selectAll().where('id', '=', id).executeTakeFirst()
}

/** An organisation's users, oldest first. */
export function listUsers(db: Db, organizationId: string): Promise<ConsoleUserRow[]> {
  return db
    .selectFrom('console_users')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .execute()
}

/** Deletes a user and every session they hold; false when there was no such user. */
export async function deleteUser(db: Db, id: string): Promise<boolean> {
  await db.deleteFrom('console_sessions').where('user_id', '=', id).execute()
  const result = await db.deleteFrom('console_users').where('id', '=', id).executeTakeFirst()
  return result.numDeletedRows > 0n
}

export async function setUserSignedIn(db: Db, id: string, at: string): Promise<void> {
  await db.updateTable('console_users').set({ last_sign_in_at: at }).where('id', '=', id).execute()
}

export async function insertSession(db: Db, row: ConsoleSessionRow): Promise<void> {
  await db.insertInto('console_sessions').values(row).execute()
}

export type SessionWithEmail = ConsoleSessionRow & { email?: string }

/** An unexpired session by its token's hash, with its user's email. */
export function findLiveSession(
  db: Db,
  tokenHash: string,
  now: string,
): Promise<(ConsoleSessionRow & { email: string }) | undefined> {
  return db
    .selectFrom('console_sessions')
    .innerJoin('console_users', 'console_users.id', 'console_sessions.user_id')
    .selectAll('console_sessions')
    .select('console_users.email')
    .where('console_sessions.token_hash', '=', tokenHash)
    .where('console_sessions.expires_at', '>', now)
    .executeTakeFirst()
}

export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
  await db.deleteFrom('console_sessions').where('token_hash', '=', tokenHash).execute()
}

export async function setSessionMode(db: Db, tokenHash: string, mode: Mode): Promise<void> {
  await db
    .updateTable('console_sessions')
    .set({ mode })
    .where('token_hash', '=', tokenHash)
    .execute()
}

/** Removes sessions past their expiry (each sign-in sweeps, so the table stays small). */
export async function deleteExpiredSessions(db: Db, now: string): Promise<void> {
  await db.deleteFrom('console_sessions').where('expires_at', '<=', now).execute()
}

/**
 * Records one sign-in attempt under each of its keys, committed before the caller counts, so
 * attempts running at the same time (on any replica) see each other's rows.
 */
export async function insertSignInAttempt(
  db: Db,
  rows: readonly { id: string; key_hash: string; attempted_at: string }[],
): Promise<void> {
  await db
    .insertInto('console_sign_in_failures')
    .values([...rows])
    .execute()
}

/** Forgets an attempt's rows: it succeeded, or it was refused before any password was checked. */
export async function deleteSignInAttempt(db: Db, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return
  await db
    .deleteFrom('console_sign_in_failures')
    .where('id', 'in', [...ids])
    .execute()
}

/** Attempts under each key since `since` (failures, and attempts still being checked). */
export async function countSignInFailures(
  db: Db,
  keyHashes: readonly string[],
  since: string,
): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('console_sign_in_failures')
    .select(['key_hash', (eb) => eb.fn.countAll<number>().as('n')])
    .where('key_hash', 'in', keyHashes)
    .where('attempted_at', '>', since)
    .groupBy('key_hash')
    .execute()
  return new Map(rows.map((row) => [row.key_hash, Number(row.n)]))
}

/** Forgets failures older than the window. */
export async function deleteSignInFailuresBefore(db: Db, cutoff: string): Promise<void> {
  await db.deleteFrom('console_sign_in_failures').where('attempted_at', '<=', cutoff).execute()
}

export async function countUsers(db: Db): Promise<number> {
  const row = await db
    .selectFrom('console_users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
