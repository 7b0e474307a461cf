import { consoleStore, type Mode } from '@onboard/db'
import type { CoreContext } from '../context'
import { AppError } from '../errors'
import { newSortableId, randomBase62 } from '../ids'
import { sha256Hex } from '../secrets'
import { decoyHash, verifyPassword } from './passwords'
import { consoleEmailSchema, MAX_PASSWORD_LENGTH } from './users'

/** A console session lasts a working day; then the person signs in again. */
export const CONSOLE_SESSION_TTL_MS = 12 * 60 * 60 * 1000

/**
 * Failed sign-ins allowed per window: per email (guessing one person's password) and per
 * client address (trying many emails). Counted in the database, so replicas agree.
 */
export const SIGN_IN_LIMITS = { windowMs: 15 * 60 * 1000, perEmail: 5, perIp: 30 }

/** What a request's console session gives the pages: who, which organisation, which mode. */
export interface ConsoleSession {
  tokenHash: string
  userId: string
  email: string
  organizationId: string
  mode: Mode
  csrfToken: string
  expiresAt: string
}

export const consoleErrors = {
  wrongCredentials: () => new AppError('invalid_credentials', 401, 'Wrong email or password.'),
  tooManyAttempts: (retryAfterSeconds: number) =>
    new AppError(
      'rate_limited',
      429,
      `Too many failed sign-ins. Wait ${Math.ceil(retryAfterSeconds / 60)} minutes and try again.`,
      undefined,
      { retryAfterSeconds },
    ),
}

const failureKey = (kind: 'email' | 'ip', value: string) =>
  sha256Hex(`console-sign-in:${kind}:${value}`)

/**
 * Checks the password and opens a new session (a new token every time, so a token planted
 * before sign-in is never promoted). Throws 429 while the email or address is over its limit
 * (before any password is checked) and 401 with one message for a wrong email or password.
 */
export async function signIn(
  ctx: CoreContext,
  input: { email: string; password: string; clientIp: string },
): Promise<{ token: string; session: ConsoleSession }> {
  const now = ctx.now()
  const parsedEmail = consoleEmailSchema.safeParse(input.email)
  const email = parsedEmail.success ? parsedEmail.data : input.email.trim().toLowerCase()
  const keys = { email: failureKey('email', email), ip: failureKey('ip', input.clientIp) }
  const since = new Date(now.getTime() - SIGN_IN_LIMITS.windowMs).toISOString()
  const counts = await consoleStore.countSignInFailures(ctx.db, [keys.email, keys.ip], since)
  if (
    (counts.get(keys.email) ?? 0) >= SIGN_IN_LIMITS.perEmail ||
    (counts.get(keys.ip) ?? 0) >= SIGN_IN_LIMITS.perIp
  ) {
    throw consoleErrors.tooManyAttempts(SIGN_IN_LIMITS.windowMs / 1000)
  }

  const user = parsedEmail.success ? await consoleStore.findUserByEmail(ctx.db, email) : undefined
  const password = input.password.slice(0, MAX_PASSWORD_LENGTH + 1)
  const matches = await verifyPassword(password, user?.password_hash ?? (await decoyHash()))
  const at = now.toISOString()
  if (!user || !matches) {
    await ctx.db.transaction().execute(async (trx) => {
      await consoleStore.deleteSignInFailuresBefore(trx, since)
      for (const key of [keys.email, keys.ip]) {
        await consoleStore.insertSignInFailure(trx, {
          id: newSortableId('csf', now.getTime()),
          key_hash: key,
          attempted_at: at,
        })
      }
    })
    throw consoleErrors.wrongCredentials()
  }

  const token = randomBase62(32)
  const row = {
    token_hash: sha256Hex(token),
    user_id: user.id,
    organization_id: user.organization_id,
    // Test first: looking around must not start with live data.
    mode: 'test' as const,
    csrf_token: randomBase62(24),
    created_at: at,
    expires_at: new Date(now.getTime() + CONSOLE_SESSION_TTL_MS).toISOString(),
  }
  await ctx.db.transaction().execute(async (trx) => {
    await consoleStore.deleteExpiredSessions(trx, at)
    await consoleStore.insertSession(trx, row)
    await consoleStore.setUserSignedIn(trx, user.id, at)
  })
  return { token, session: toSession(row, user.email) }
}

function toSession(row: consoleStore.SessionWithEmail, email: string): ConsoleSession {
  return {
    tokenHash: row.token_hash,
    userId: row.user_id,
    email,
    organizationId: row.organization_id,
    mode: row.mode,
    csrfToken: row.csrf_token,
    expiresAt: row.expires_at,
  }
}

/** The live session a cookie's token names, or null (unknown, expired, user deleted). */
export async function findConsoleSession(
  ctx: CoreContext,
  token: string,
): Promise<ConsoleSession | null> {
  if (!/^[0-9A-Za-z]{20,64}$/.test(token)) return null
  const row = await consoleStore.findLiveSession(ctx.db, sha256Hex(token), ctx.now().toISOString())
  return row ? toSession(row, row.email) : null
}

export async function signOut(ctx: CoreContext, session: ConsoleSession): Promise<void> {
  await consoleStore.deleteSession(ctx.db, session.tokenHash)
}

/** The test/live switch. It only chooses what the session's own organisation shows. */
export async function setConsoleMode(
  ctx: CoreContext,
  session: ConsoleSession,
  mode: Mode,
): Promise<void> {
  await consoleStore.setSessionMode(ctx.db, session.tokenHash, mode)
}
