import { accountsStore } from '@onboard/db'
import { concern, type Processing } from './receipt-transaction'
import { phonesOfMetaWaba } from './routing'
import { type MetaEntry, qualityUpdateValueSchema } from './schemas'

const digits = (text: string) => text.replace(/\D/g, '')

/**
 * `field: phone_number_quality_update`: FLAGGED (quality low, the limit may drop) is stored
 * as the phone's status so its health shows it; UNFLAGGED clears it. The webhook names the
 * number, not its id, so the phone is found by its digits within the entry's WABA.
 */
export async function handleQualityUpdate(
  p: Processing,
  entry: MetaEntry,
  value: unknown,
): Promise<void> {
  const parsed = qualityUpdateValueSchema.safeParse(value)
  if (!parsed.success || !entry.id) {
    p.notes.push('a phone_number_quality_update without a number or WABA was ignored')
    return
  }
  const owner = (await accountsStore.connectedWaba(p.trx, p.mode, entry.id))?.organization_id
  if (owner !== undefined) concern(p, owner, [entry.id])
  const number = digits(parsed.data.display_phone_number)
  const phones = (await phonesOfMetaWaba(p.trx, p.mode, entry.id)).filter(
    (phone) => digits(phone.phoneNumber) === number || digits(phone.displayPhoneNumber) === number,
  )
  if (phones.length === 0) {
    p.notes.push(
      `no connected phone number ${parsed.data.display_phone_number} in WABA ${entry.id}`,
    )
    return
  }
  const event = parsed.data.event
  const targets =
    event === 'FLAGGED'
      ? phones.filter((phone) => phone.metaStatus !== 'DISCONNECTED')
      : event === 'UNFLAGGED'
        ? phones.filter((phone) => phone.metaStatus === 'FLAGGED')
        : []
  if (event !== 'FLAGGED' && event !== 'UNFLAGGED') {
    p.notes.push(`phone_number_quality_update ${event} is not acted on`)
  }
  if (targets.length === 0) return
  await accountsStore.setPhonesMetaStatus(
    p.trx,
    targets.map((phone) => phone.phoneId),
    { metaStatus: event === 'FLAGGED' ? 'FLAGGED' : 'CONNECTED', at: p.now.toISOString() },
  )
}
