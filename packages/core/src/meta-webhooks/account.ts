import { accountsStore, type MetaWabaInstallRow, metaReceiptsStore } from '@onboard/db'
import { claimItem, concern, emit, metaTime, type Processing } from './receipt-transaction'
import { phoneIds, phonesOfMetaWaba, type RoutedPhone } from './routing'
import { type AccountUpdateValue, accountUpdateValueSchema, type MetaEntry } from './schemas'

const INSTALL_STATUS: Record<string, 'shared' | 'installed' | 'removed'> = {
  PARTNER_ADDED: 'shared',
  PARTNER_APP_INSTALLED: 'installed',
  PARTNER_REMOVED: 'removed',
  PARTNER_APP_UNINSTALLED: 'removed',
}

/**
 * `field: account_update`. Partner events keep the WABA's install facts (for sign-ups to
 * claim) and a removal disconnects our WABA and phones; restrictions and bans are stored
 * on the phones so their health shows them. Other events are noted only.
 */
export async function handleAccountUpdate(
  p: Processing,
  entry: MetaEntry,
  value: unknown,
): Promise<void> {
  const parsed = accountUpdateValueSchema.safeParse(value)
  if (!parsed.success) {
    p.notes.push('an account_update without an event was ignored')
    return
  }
  const update = parsed.data
  // Partner events name the WABA in waba_info; others are about the entry's WABA.
  const metaWabaId = update.waba_info?.waba_id ?? entry.id
  if (!metaWabaId) {
    p.notes.push(`account_update ${update.event} names no WABA`)
    return
  }
  // Before a removal disconnects it: the change is about whoever holds the WABA now.
  const owner = (await accountsStore.connectedWaba(p.trx, p.mode, metaWabaId))?.organization_id
  if (owner !== undefined) concern(p, owner, [metaWabaId])
  const at = metaTime(entry.time, p.now)
  const itemKey = `account_update:${metaWabaId}:${update.event}:${entry.time ?? p.receiptId}`
  if (!(await claimItem(p, itemKey))) return

  const installStatus = INSTALL_STATUS[update.event]
  if (installStatus) {
    const applied = await recordInstall(p, { metaWabaId, update, status: installStatus, at })
    if (applied && installStatus === 'removed') await disconnectWaba(p, metaWabaId, update)
    if (applied && installStatus === 'installed') p.installedWabaIds.push(metaWabaId)
    return
  }
  if (update.event === 'ACCOUNT_RESTRICTION') {
    const restricted = (update.restriction_info ?? []).length > 0
    await setPhoneStatus(p, metaWabaId, restricted ? 'RESTRICTED' : 'CONNECTED', 'RESTRICTED')
    return
  }
  if (update.event === 'DISABLED_UPDATE') {
    const state = update.ban_info?.waba_ban_state
    if (state === 'DISABLE') await setPhoneStatus(p, metaWabaId, 'BANNED', 'BANNED')
    else if (state === 'REINSTATE') await setPhoneStatus(p, metaWabaId, 'CONNECTED', 'BANNED')
    return
  }
  p.notes.push(`account_update ${update.event} is not acted on`)
}

/**
 * Upserts the WABA's install facts. Meta does not keep order, so an event older than the
 * one stored changes nothing (returns false).
 */
async function recordInstall(
  p: Processing,
  input: {
    metaWabaId: string
    update: AccountUpdateValue
    status: 'shared' | 'installed' | 'removed'
    at: string
  },
): Promise<boolean> {
  const existing = await metaReceiptsStore.findInstall(p.trx, p.mode, input.metaWabaId)
  if (existing && existing.event_time > input.at) {
    p.notes.push(`account_update ${input.update.event} is older than the last one stored`)
    return false
  }
  const info = input.update.waba_info
  // PARTNER_ADDED after an install (they come ~seconds apart, either order) keeps it installed.
  const status =
    input.status === 'shared' && existing?.status === 'installed' ? 'installed' : input.status
  const removed = status === 'removed'
  const row = {
    status,
    last_event: input.update.event,
    event_time: input.at,
    owner_business_id: info?.owner_business_id ?? existing?.owner_business_id ?? null,
    partner_app_id: info?.partner_app_id ?? existing?.partner_app_id ?? null,
    solution_id: info?.solution_id ?? existing?.solution_id ?? null,
    disconnection_reason: removed ? (input.update.disconnection_info?.reason ?? null) : null,
    installed_at:
      input.status === 'installed' ? input.at : removed ? null : (existing?.installed_at ?? null),
    removed_at: removed ? input.at : null,
    // A new install is a new signup's evidence, free for its own session or link to claim;
    // Meta's late or repeated copy of the install a completion already used is not.
    ...(input.status === 'installed' && isNewInstall(existing, input.at)
      ? { claimed_by: null, claimed_at: null }
      : {}),
    receipt_id: p.receiptId,
    updated_at: p.now.toISOString(),
  }
  await metaReceiptsStore.upsertInstall(p.trx, { mode: p.mode, metaWabaId: input.metaWabaId }, row)
  return true
}

/**
 * Whether a PARTNER_APP_INSTALLED at `at` is a new sign-up rather than the install already
 * on record: nothing was claimed, our app was removed since, or it happened after the claim.
 */
function isNewInstall(existing: MetaWabaInstallRow | undefined, at: string): boolean {
  if (!existing?.claimed_at) return true
  return existing.status === 'removed' || at > existing.claimed_at
}

/** Our app lost the WABA: it and its phones are disconnected, one event per phone. */
async function disconnectWaba(
  p: Processing,
  metaWabaId: string,
  update: AccountUpdateValue,
): Promise<void> {
  const phones = await phonesOfMetaWaba(p.trx, p.mode, metaWabaId)
  const at = p.now.toISOString()
  if (!(await accountsStore.disconnectWaba(p.trx, { mode: p.mode, metaWabaId, at }))) {
    p.notes.push(`no connected WABA has Meta id ${metaWabaId}`)
    return
  }
  await accountsStore.setPhonesMetaStatus(
    p.trx,
    phones.map((phone) => phone.phoneId),
    { metaStatus: 'DISCONNECTED', at },
  )
  const info = update.disconnection_info
  for (const phone of phones) {
    await emit(p, {
      tenant: phone.tenant,
      type: 'phone_number.disconnected',
      wabaId: phone.wabaId,
      data: {
        ...phoneIds(phone),
        phoneNumber: phone.phoneNumber,
        onboardingLinkId: phone.onboardingLinkId,
        externalId: phone.externalId,
        reason: update.event.toLowerCase(),
        disconnectionInfo: info
          ? { reason: info.reason ?? null, initiatedBy: info.initiated_by ?? null }
          : null,
      },
    })
  }
}

/**
 * Stores a WABA-wide restriction or ban on its phones. Lifting one (`to` CONNECTED) only
 * touches phones still in the state it lifts, so a disconnection is never undone here.
 */
async function setPhoneStatus(
  p: Processing,
  metaWabaId: string,
  to: string,
  liftedFrom: string,
): Promise<void> {
  const phones = await phonesOfMetaWaba(p.trx, p.mode, metaWabaId)
  const targets = phones.filter((phone: RoutedPhone) =>
    to === 'CONNECTED' ? phone.metaStatus === liftedFrom : phone.metaStatus !== 'DISCONNECTED',
  )
  if (phones.length === 0) p.notes.push(`no connected WABA has Meta id ${metaWabaId}`)
  if (targets.length === 0) return
  await accountsStore.setPhonesMetaStatus(
    p.trx,
    targets.map((phone) => phone.phoneId),
    { metaStatus: to, at: p.now.toISOString() },
  )
}
