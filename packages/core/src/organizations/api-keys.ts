import { consoleStore, type Mode, organizationsStore } from '@onboard/db'
import type { CoreContext, Tenant } from '../context'
import { AppError, errors } from '../errors'
import { newPrefixedId, newSortableId, randomBase62 } from '../ids'
import { verifyPassword } from '../passwords'
import { sha256Hex } from '../secrets'
import { perObject } from '../shared/per-object'

/** `sk_org_test_` / `sk_org_live_` then 192 random bits in base62 (33 characters). */
const KEY_PATTERN = /^sk_org_(test|live)_[0-9A-Za-z]{33}$/

export interface ApiKeySummary {
  id: string
  organizationId: string
  mode: Mode
  lastFour: string
  createdAt: string
  lastUsedAt: string | null
  revokedAt: string | null
  /** The console user who made it; null when made otherwise (CLI, the organisation's start). */
  createdBy: string | null
}

export interface AuthenticatedKey extends Tenant {
  keyId: string
}

async function requireOrganization(ctx: CoreContext, organizationId: string): Promise<void> {
  if (!(await organizationsStore.organizationExists(ctx.db, organizationId)))
    throw errors.notFound('organization')
}

export async function createApiKey(
  ctx: CoreContext,
  organizationId: string,
  mode: Mode,
  createdBy: string | null = null,
): Promise<{ key: string; summary: ApiKeySummary }> {
  await requireOrganization(ctx, organizationId)
  const key = `sk_org_${mode}_${randomBase62(24)}`
  const row = {
    id: newPrefixedId('key'),
    organization_id: organizationId,
    mode,
    key_hash: sha256Hex(key),
    last_four: key.slice(-4),
    created_at: ctx.now().toISOString(),
    last_used_at: null,
    revoked_at: null,
    created_by: createdBy,
  }
  await organizationsStore.insertApiKey(ctx.db, row)
  return { key, summary: toSummary(row) }
}

export async function listApiKeys(
  ctx: CoreContext,
  organizationId: string,
): Promise<ApiKeySummary[]> {
  await requireOrganization(ctx, organizationId)
  const rows = await organizationsStore.listApiKeys(ctx.db, organizationId)
  return rows.map(toSummary)
}

export async function revokeApiKey(ctx: CoreContext, keyId: string): Promise<ApiKeySummary> {
  const row = await organizationsStore.findApiKey(ctx.db, keyId)
  if (!row) throw errors.notFound('API key')
  if (row.revoked_at) {
    forgetKey(ctx, keyId)
    return toSummary(row)
  }
  const revokedAt = ctx.now().toISOString()
  await organizationsStore.setApiKeyRevokedAt(ctx.db, keyId, revokedAt)
  forgetKey(ctx, keyId)
  return toSummary({ ...row, revoked_at: revokedAt })
}

/**
 * How long a verified key is trusted without reading the database again. A revocation in
 * this process (revokeApiKey) drops the key at once; one made by another process (the CLI)
 * takes effect within this time.
 */
export const API_KEY_CACHE_TTL_MS = 5_000
/** Entries kept per database; beyond it the oldest goes (only valid keys are kept). */
const API_KEY_CACHE_MAX = 10_000

interface CachedKey {
  key: AuthenticatedKey
  cachedAt: number
}

/** Per database handle, so every process (and every test database) has its own. */
const keyCacheOf = perObject((_db: CoreContext['db']) => new Map<string, CachedKey>())

/**
 * Resolves a presented key to its organisation and mode, or null. Keys are looked up by
 * their SHA-256, so no comparison ever runs over the secret itself: timing reveals nothing.
 * Valid keys are remembered for API_KEY_CACHE_TTL_MS, which spares a query (and the
 * last-used check) on nearly every request; unknown keys are never remembered.
 */
export async function authenticateApiKey(
  ctx: CoreContext,
  presented: string,
): Promise<AuthenticatedKey | null> {
  if (!KEY_PATTERN.test(presented)) return null
  const hash = sha256Hex(presented)
  const cache = keyCacheOf(ctx.db)
  const now = ctx.now().getTime()
  const cached = cache.get(hash)
  // A clock that went back counts as expired too.
  if (cached && now >= cached.cachedAt && now - cached.cachedAt < API_KEY_CACHE_TTL_MS) {
    return cached.key
  }
  cache.delete(hash)
  const row = await organizationsStore.findApiKeyByHash(ctx.db, hash)
  if (!row || row.revoked_at !== null) return null
  await touchLastUsed(ctx, row.id, row.last_used_at)
  const key = { keyId: row.id, organizationId: row.organization_id, mode: row.mode }
  if (cache.size >= API_KEY_CACHE_MAX) {
    const oldest = cache.keys().next()
    if (!oldest.done) cache.delete(oldest.value)
  }
  cache.set(hash, { key, cachedAt: now })
  return key
}

/** Drops a key from this process's cache, so its revocation holds from the next request. */
function forgetKey(ctx: CoreContext, keyId: string) {
  const cache = keyCacheOf(ctx.db)
  for (const [hash, cached] of cache) {
    if (cached.key.keyId === keyId) cache.delete(hash)
  }
}

const TOUCH_INTERVAL_MS = 60_000

/** last_used_at is coarse on purpose: one write a minute per key keeps the writer free. */
async function touchLastUsed(ctx: CoreContext, keyId: string, lastUsedAt: string | null) {
  const now = ctx.now()
  if (lastUsedAt && now.getTime() - Date.parse(lastUsedAt) < TOUCH_INTERVAL_MS) return
  await organizationsStore.setApiKeyLastUsedAt(ctx.db, keyId, now.toISOString())
}

function toSummary(row: {
  id: string
  organization_id: string
  mode: Mode
  last_four: string
  created_at: string
  last_used_at: string | null
  revoked_at: string | null
  created_by: string | null
}): ApiKeySummary {
  return {
    id: row.id,
    organizationId: row.organization_id,
    mode: row.mode,
    lastFour: row.last_four,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
    createdBy: row.created_by,
  }
}

/** A key as the console lists it: with the email of the console user who made it. */
export interface ConsoleApiKey extends ApiKeySummary {
  /** Null when no console user made it, or that user was removed since. */
  createdByEmail: string | null
}

/** The tenant's keys of its mode, oldest first: what the console lists. */
export async function listApiKeysOfTenant(
  ctx: CoreContext,
  tenant: Tenant,
): Promise<ConsoleApiKey[]> {
  const [keys, users] = await Promise.all([
    listApiKeys(ctx, tenant.organizationId),
    consoleStore.listUsers(ctx.db, tenant.organizationId),
  ])
  const emails = new Map(users.map((user) => [user.id, user.email]))
  return keys
    .filter((key) => key.mode === tenant.mode)
    .map((key) => ({
      ...key,
      createdByEmail: key.createdBy === null ? null : (emails.get(key.createdBy) ?? null),
    }))
}

const wrongPassword = () =>
  new AppError('invalid_credentials', 401, 'The password is not right: no key was made.')

/** Password checks for live keys per user and window: a stolen cookie is no password oracle. */
const LIVE_KEY_PASSWORD_LIMIT = { attempts: 5, windowMs: 15 * 60 * 1000 }

/**
 * Checks the user's password, at most LIVE_KEY_PASSWORD_LIMIT.attempts times per window. The
 * attempt is recorded before scrypt runs and counted after, so of parallel attempts the k-th
 * to commit sees at least k: no burst gets past the limit. A right password drops its record.
 */
async function checkPasswordForLiveKey(
  ctx: CoreContext,
  user: { id: string; password_hash: string },
  password: string,
): Promise<void> {
  const now = ctx.now()
  const keyHash = sha256Hex(`console-live-key:user:${user.id}`)
  const since = new Date(now.getTime() - LIVE_KEY_PASSWORD_LIMIT.windowMs).toISOString()
  const attempt = { id: newSortableId('csf', now.getTime()), key_hash: keyHash }
  await consoleStore.insertSignInAttempt(ctx.db, [{ ...attempt, attempted_at: now.toISOString() }])
  const counts = await consoleStore.countSignInFailures(ctx.db, [keyHash], since)
  if ((counts.get(keyHash) ?? 0) > LIVE_KEY_PASSWORD_LIMIT.attempts) {
    const retryAfterSeconds = LIVE_KEY_PASSWORD_LIMIT.windowMs / 1000
    throw new AppError(
      'rate_limited',
      429,
      `Too many password attempts. Wait ${retryAfterSeconds / 60} minutes and try again.`,
      undefined,
      { retryAfterSeconds },
    )
  }
  if (!(await verifyPassword(password, user.password_hash))) throw wrongPassword()
  await consoleStore.deleteSignInAttempt(ctx.db, [attempt.id])
}

/**
 * A key made from the console, recorded as the signed-in user's. A live key outlives the
 * session and reaches real customers, so it takes the user's password again: a stolen
 * console cookie alone cannot mint one. Wrong password: 401 `invalid_credentials`; too many
 * attempts: 429 `rate_limited`; nothing made.
 */
export async function createApiKeyByConsoleUser(
  ctx: CoreContext,
  input: { tenant: Tenant; userId: string; password: string },
): Promise<{ key: string; summary: ApiKeySummary }> {
  const { tenant } = input
  if (tenant.mode === 'live') {
    const user = await consoleStore.findUser(ctx.db, input.userId)
    if (!user || user.organization_id !== tenant.organizationId) throw wrongPassword()
    await checkPasswordForLiveKey(ctx, user, input.password)
  }
  return createApiKey(ctx, tenant.organizationId, tenant.mode, input.userId)
}

/** Revokes a key of this organisation and mode; any other id is a 404, as in the API. */
export async function revokeApiKeyOfTenant(
  ctx: CoreContext,
  tenant: Tenant,
  keyId: string,
): Promise<ApiKeySummary> {
  const row = await organizationsStore.findApiKey(ctx.db, keyId)
  if (!row || row.organization_id !== tenant.organizationId || row.mode !== tenant.mode) {
    throw errors.notFound('API key')
  }
  return revokeApiKey(ctx, keyId)
}
