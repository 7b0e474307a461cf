import { accountsStore, type PhoneNumberRow, type WabaRow } from '@onboard/db'
import type { MetaPhoneHealth } from '@onboard/meta'
import type { GraphLookupError } from '../accounts/schemas'
import { lookupError } from '../accounts/serialize'
import type { CoreContext, Tenant } from '../context'
import type { MetaApp, MetaApps } from '../meta-apps'
import { decryptSecret } from '../secrets'
import { parseJson } from '../shared/json'
import { findPhoneRows } from './read'
import type { HealthIssue, PhoneHealth } from './schemas'
import { type WebhookHealth, webhookHealth } from './webhook-health'

interface LiveFacts {
  health: MetaPhoneHealth | null
  checkedAt: string | null
  isLive: boolean
  subscribed: boolean | null
  errors: GraphLookupError[]
}

/** Meta's health_status and our app's subscription, read live; failures are listed, not thrown. */
async function readLive(
  app: MetaApp | undefined,
  token: string,
  ids: { phone: string; waba: string },
) {
  const errors: GraphLookupError[] = []
  if (!app) {
    errors.push({
      operation: 'getPhoneHealth',
      code: 'meta_not_configured',
      message: 'Live mode has no Meta app configured; showing stored values.',
    })
    return { health: null, subscribed: null, errors }
  }
  const [health, apps] = await Promise.all([
    app.client.getPhoneHealth(ids.phone, token).catch((error: unknown) => {
      errors.push(lookupError('getPhoneHealth', error))
      return null
    }),
    app.client.getSubscribedApps(ids.waba, token).catch((error: unknown) => {
      errors.push(lookupError('getSubscribedApps', error))
      return null
    }),
  ])
  return { health, subscribed: apps ? apps.some((a) => a.appId === app.appId) : null, errors }
}

function healthIssues(health: MetaPhoneHealth, subscribed: boolean): HealthIssue[] {
  const issues: HealthIssue[] = []
  for (const entity of health.entities) {
    // Our own subscription check already reports the APP entity's "not subscribed" note.
    if (entity.entityType === 'APP' && !subscribed) continue
    const severity = entity.canSendMessage === 'BLOCKED' ? 'error' : 'warning'
    for (const info of entity.additionalInfo) {
      issues.push({
        code: `meta_${entity.entityType.toLowerCase()}_${entity.canSendMessage.toLowerCase()}`,
        severity,
        source: 'meta_health',
        message: info,
        metaErrorCode: null,
        possibleSolution: null,
      })
    }
    for (const error of entity.errors) {
      issues.push({
        code: `meta_error_${error.errorCode}`,
        severity,
        source: 'meta_health',
        message: error.errorDescription,
        metaErrorCode: error.errorCode,
        possibleSolution: error.possibleSolution,
      })
    }
  }
  return issues
}

/** Meta answered 190 for the WABA's business token: nothing can be sent until a new sign-up. */
function tokenIssue(waba: WabaRow): HealthIssue | null {
  if (waba.token_invalid_at === null) return null
  return {
    code: 'business_token_invalid',
    severity: 'error',
    source: 'token',
    message: `Meta rejected this WhatsApp Business Account’s business token (${waba.token_error ?? 'invalid or expired'}); connect the number again with a new onboarding link.`,
    metaErrorCode: 190,
    possibleSolution: null,
  }
}

function registrationIssue(phone: PhoneNumberRow): HealthIssue {
  return issue(
    'phone_not_registered',
    'registration',
    `The number is not registered with the WhatsApp Cloud API${phone.registration_error ? `: ${phone.registration_error}` : '.'}`,
  )
}

/**
 * What stops the number from sending, from what we know without asking Meta: registration,
 * Meta's webhooks (a disconnected WABA, a banned number), a business token Meta rejected,
 * and the last health_status we read (a BLOCKED number or WABA). Empty when nothing does.
 */
export function storedSendBlockers(phone: PhoneNumberRow, waba: WabaRow): HealthIssue[] {
  const blockers: HealthIssue[] = []
  const fromWebhooks = webhookHealth(phone, waba)
  if (fromWebhooks.blocksMessaging) blockers.push(...fromWebhooks.issues)
  const token = tokenIssue(waba)
  if (token) blockers.push(token)
  if (phone.is_registered !== 1) blockers.push(registrationIssue(phone))
  const health = parseJson<MetaPhoneHealth>(phone.last_health)
  if (health) {
    const blocking = health.entities.filter(
      (e) => e.entityType !== 'APP' && e.canSendMessage === 'BLOCKED',
    )
    blockers.push(...healthIssues({ ...health, entities: blocking }, true))
  }
  return blockers
}

function issue(
  code: string,
  source: HealthIssue['source'],
  message: string,
  severity: HealthIssue['severity'] = 'error',
): HealthIssue {
  return { code, severity, source, message, metaErrorCode: null, possibleSolution: null }
}

/**
 * GET /v1/phones/:id/health. Sending needs registration and Meta's health_status not
 * BLOCKED; receiving needs registration and our webhook subscription; Meta's webhooks can
 * rule out both. When Meta cannot be reached the last stored answer is used.
 */
export async function getPhoneHealth(
  ctx: CoreContext,
  metaApps: MetaApps,
  tenant: Tenant,
  id: string,
): Promise<PhoneHealth> {
  const { phone, waba } = await findPhoneRows(ctx, tenant, id)
  const facts = await currentFacts(ctx, metaApps, phone, waba)
  return assessHealth(phone, waba, facts)
}

/**
 * The health as last known, without asking Meta: the stored health_status and subscription.
 * What the console's Numbers list shows (one Graph round trip per listed number would make a
 * page view cost Meta calls); the number's own page reads it live (getPhoneHealth).
 */
export async function getStoredPhoneHealth(
  ctx: CoreContext,
  tenant: Tenant,
  id: string,
): Promise<PhoneHealth> {
  const { phone, waba } = await findPhoneRows(ctx, tenant, id)
  const health = assessHealth(phone, waba, {
    health: parseJson<MetaPhoneHealth>(phone.last_health),
    checkedAt: phone.last_health_at,
    isLive: false,
    subscribed: null,
    errors: [],
  })
  return {
    ...health,
    issues: health.issues.map((found) =>
      found.code === 'health_unknown'
        ? { ...found, message: 'Not checked with Meta yet: the number’s page checks it.' }
        : found,
    ),
  }
}

/** The verdict from the facts (live or stored) and what our rows and Meta's webhooks say. */
function assessHealth(phone: PhoneNumberRow, waba: WabaRow, facts: LiveFacts): PhoneHealth {
  const registered = phone.is_registered === 1
  const subscribed = facts.subscribed ?? waba.is_subscribed === 1
  const health = facts.health
  const worst = health?.canSendMessage ?? null
  const blocked = (health?.entities ?? []).some(
    (e) => e.entityType !== 'APP' && e.canSendMessage === 'BLOCKED',
  )
  const fromWebhooks = webhookHealth(phone, waba)
  const rejectedToken = tokenIssue(waba)
  const issues = healthReport(phone, waba, { health, subscribed, fromWebhooks })

  // Receiving needs the number connected (registered, not banned or disconnected) and our
  // app subscribed to the WABA. Meta's health_status is about sending only: its BLOCKED
  // (e.g. 141006, no payment method, where every new Tech Provider customer starts) holds
  // back outgoing messages while incoming ones still arrive.
  const connected = registered && !fromWebhooks.blocksMessaging
  const canSendMessages = connected && health !== null && !blocked && rejectedToken === null
  const canReceiveMessages = connected && subscribed
  return {
    phoneNumberId: phone.id,
    phoneNumber: phone.phone_number,
    status: !canSendMessages ? 'not_ready' : issues.length > 0 ? 'limited' : 'ready',
    capabilities: {
      canSendMessages,
      canReceiveMessages,
      isRegistered: registered,
      isWebhookSubscribed: subscribed,
      isMessagingLimited: worst === 'LIMITED',
    },
    issues,
    meta: {
      canSendMessage: worst,
      entities: health?.entities ?? [],
      checkedAt: facts.checkedAt,
      isLive: facts.isLive,
    },
    graphLookupErrors: facts.errors,
  }
}

/**
 * Meta's answers now, kept as the fallback for the next read; when Meta cannot give the
 * health status, the last stored one (with when it was read).
 */
async function currentFacts(
  ctx: CoreContext,
  metaApps: MetaApps,
  phone: PhoneNumberRow,
  waba: WabaRow,
): Promise<LiveFacts> {
  const token = decryptSecret(ctx.keyring, waba.access_token_enc)
  const live = await readLive(metaApps.forMode(phone.mode), token, {
    phone: phone.meta_phone_number_id,
    waba: waba.meta_waba_id,
  })
  const now = ctx.now().toISOString()
  await storeFacts(ctx, { phoneId: phone.id, wabaId: waba.id }, live, now)
  if (live.health) return { ...live, checkedAt: now, isLive: true }
  return {
    ...live,
    health: parseJson<MetaPhoneHealth>(phone.last_health),
    checkedAt: phone.last_health_at,
    isLive: false,
  }
}

/** Every issue the health read reports, in the order the answer lists them. */
function healthReport(
  phone: PhoneNumberRow,
  waba: WabaRow,
  known: { health: MetaPhoneHealth | null; subscribed: boolean; fromWebhooks: WebhookHealth },
): HealthIssue[] {
  const issues: HealthIssue[] = []
  if (phone.is_registered !== 1) issues.push(registrationIssue(phone))
  const rejectedToken = tokenIssue(waba)
  if (rejectedToken) issues.push(rejectedToken)
  if (!known.subscribed) {
    issues.push(
      issue(
        'webhook_not_subscribed',
        'subscription',
        'Our app is not subscribed to this WhatsApp Business Account, so incoming messages are not received.',
      ),
    )
  }
  if (known.health) issues.push(...healthIssues(known.health, known.subscribed))
  else {
    issues.push(
      issue('health_unknown', 'lookup', 'Meta’s health status could not be read yet.', 'warning'),
    )
  }
  // What Meta's webhooks said (uninstalled WABA, flagged or banned number): webhook-health.ts.
  issues.push(...known.fromWebhooks.issues)
  return issues
}

/** Keeps Meta's latest answers as the fallback for the next read that cannot reach Meta. */
async function storeFacts(
  ctx: CoreContext,
  ids: { phoneId: string; wabaId: string },
  live: { health: MetaPhoneHealth | null; subscribed: boolean | null },
  now: string,
): Promise<void> {
  if (live.health) {
    await accountsStore.storePhoneHealth(ctx.db, ids.phoneId, {
      health: JSON.stringify(live.health),
      at: now,
    })
  }
  if (live.subscribed !== null) {
    await accountsStore.setWabaSubscribed(ctx.db, ids.wabaId, live.subscribed)
  }
}
