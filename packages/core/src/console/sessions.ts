import { consoleStore, type Mode } from '@onboard/db'
import type { CoreContext } from '../context'
import { AppError } from '../errors'
import { newSortableId, randomBase62 } from '../ids'
import { claimVerificationSlot, decoyHash, verifyPassword } from '../passwords'
import { sha256Hex } from '../secrets'
import { addressForLimit } from './address'
import { consoleEmailSchema, MAX_PASSWORD_LENGTH } from './users'

/** A console session lasts a working day; then the person signs in again. */
export const CONSOLE_SESSION_TTL_MS = 12 * 60 * 60 * 1000

/**
 * Sign-in attempts allowed per 15-minute window, counted in the database so replicas agree:
 * - `perEmailAndAddress`: guessing one person's password from one place (the strict limit);
 * - `perEmail`: the same person from anywhere, much looser, so someone elsewhere cannot lock
 *   the real user out with a few wrong guesses, yet a spread-out guesser is still stopped;
 * - `perAddress`: one place trying many emails (an IPv6 address counts as its /64).
 * A failed attempt counts; one that succeeds is forgotten.
 */
export const SIGN_IN_LIMITS = {
  windowMs: 15 * 60 * 1000,
  perEmailAndAddress: 5,
  perEmail: 50,
  perAddress: 30,
}

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

const consoleErrors = {
  wrongCredentials: () => new AppError('invalid_credentials', 401, 'Wrong email or password.'),
  tooManyAttempts: (retryAfterSeconds: number) =>
    new AppError(
      'rate_limited',
      429,
      `Too many failed sign-ins. Wait ${Math.ceil(retryAfterSeconds / 60)} minutes and try again.`,
      undefined,
      { retryAfterSeconds },
    ),
  busy: () =>
    new AppError(
      'busy',
      503,
      'Many people are signing in right now. Try again in a moment.',
      undefined,
      {
        retryAfterSeconds: 1,
      },
    ),
}

const attemptKey = (kind: 'email' | 'email-ip' | 'ip', value: string) =>
  sha256Hex(`console-sign-in:${kind}:${value}`)

/**
 * Checks the password and opens a new session (a new token every time, so a token planted
 * before sign-in is never promoted). Throws 429 while the email, the email from this address,
 * or the address is over its limit (before any password is checked), 503 while this process
 * is already checking as many passwords as it will, and 401 with one message for a wrong
 * email or password.
 *
 * The attempt is written before it is counted, and the write is committed first: of attempts
 * running at once, each counts every one committed before its own, so however many arrive
 * together, at most the limit of them see a count within it and reach the password check.
 */
export async function signIn(
  ctx: CoreContext,
  input: { email: string; password: string; clientIp: string },
): Promise<{ token: string; session: ConsoleSession }> {
  const now = ctx.now()
  const at = now.toISOString()
  const parsedEmail = consoleEmailSchema.safeParse(input.email)
  const email = parsedEmail.success ? parsedEmail.data : input.email.trim().toLowerCase()
  const address = addressForLimit(input.clientIp)
  const limits = [
    { key: attemptKey('email-ip', `${email}\n${address}`), max: SIGN_IN_LIMITS.perEmailAndAddress },
    { key: attemptKey('email', email), max: SIGN_IN_LIMITS.perEmail },
    { key: attemptKey('ip', address), max: SIGN_IN_LIMITS.perAddress },
  ]
  const since = new Date(now.getTime() - SIGN_IN_LIMITS.windowMs).toISOString()
  const rows = limits.map(({ key }) => ({
    id: newSortableId('csf', now.getTime()),
    key_hash: key,
    attempted_at: at,
  }))
  const ids = rows.map((row) => row.id)
  await consoleStore.deleteSignInFailuresBefore(ctx.db, since)
  await consoleStore.insertSignInAttempt(ctx.db, rows)
  const counts = await consoleStore.countSignInFailures(
    ctx.db,
    limits.map(({ key }) => key),
    since,
  )
  if (limits.some(({ key, max }) => (counts.get(key) ?? 0) > max)) {
    // Refused unchecked: it is no failure, and hammering must not keep the lock going.
    await consoleStore.deleteSignInAttempt(ctx.db, ids)
    throw consoleErrors.tooManyAttempts(SIGN_IN_LIMITS.windowMs / 1000)
  }

  const release = claimVerificationSlot()
  if (!release) {
    await consoleStore.deleteSignInAttempt(ctx.db, ids)
    throw consoleErrors.busy()
  }
  let user: Awaited<ReturnType<typeof consoleStore.findUserByEmail>>
  let matches = false
  try {
    user = parsedEmail.success ? await consoleStore.findUserByEmail(ctx.db, email) : undefined
    const password = input.password.slice(0, MAX_PASSWORD_LENGTH + 1)
    matches = await verifyPassword(password, user?.password_hash ?? (await decoyHash()))
  } finally {
    release()
  }
  // A failure's rows stay and count; a success's are forgotten.
  if (!user || !matches) throw consoleErrors.wrongCredentials()
  await consoleStore.deleteSignInAttempt(ctx.db, ids)

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
