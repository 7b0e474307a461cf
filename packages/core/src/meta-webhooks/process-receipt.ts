import { type Mode, metaReceiptsStore } from '@onboard/db'
import type { CoreContext } from '../context'
import { handleAccountUpdate } from './account'
import { handleMessagesChange } from './messages'
import { handleQualityUpdate } from './quality'
import type { Processing } from './receipt-transaction'
import { type MetaEnvelope, metaEnvelopeSchema } from './schemas'

export interface ProcessedReceipt {
  /** `skipped`: already processed (or failed) by someone else, or no such receipt. */
  outcome: 'processed' | 'skipped'
  eventsRecorded: number
  /** Outbox deliveries written (and handed to `ctx.queue` once committed). */
  deliveryIds: string[]
  notes: string[]
  /** The mode of the app that signed it. */
  mode: Mode | null
  /**
   * Meta WABAs whose PARTNER_APP_INSTALLED this receipt recorded: the worker hands them to
   * the sign-up completion (a layer above), where a link whose page saw the FINISH awaits them.
   */
  installedWabaIds: string[]
}

const SKIPPED: ProcessedReceipt = {
  outcome: 'skipped',
  eventsRecorded: 0,
  deliveryIds: [],
  notes: [],
  mode: null,
  installedWabaIds: [],
}

/**
 * Turns one stored receipt into events, in one short transaction with no network inside:
 * the receipt is claimed first (metaReceiptsStore.claimPendingReceipt: of two workers only
 * one proceeds, on either database), then every change is mapped, then the notes are stored.
 * A throw rolls everything back and leaves the receipt pending for a retry.
 */
export async function processReceipt(
  ctx: CoreContext,
  receiptId: string,
): Promise<ProcessedReceipt> {
  const receipt = await metaReceiptsStore.findReceipt(ctx.db, receiptId)
  if (receipt?.status !== 'pending') return SKIPPED
  const envelope = parseEnvelope(receipt.body)
  const now = ctx.now()

  const processed = await ctx.db.transaction().execute(async (trx) => {
    if (!(await metaReceiptsStore.claimPendingReceipt(trx, receipt.id, now.toISOString()))) {
      return SKIPPED
    }

    const p: Processing = {
      trx,
      mode: receipt.mode,
      receiptId: receipt.id,
      now,
      concerned: new Map(),
      deliveryIds: [],
      eventsRecorded: 0,
      notes: [],
      installedWabaIds: [],
    }
    if (envelope) await processEnvelope(p, envelope)
    else p.notes.push('the body is not a WhatsApp Business Account webhook')

    await metaReceiptsStore.recordReceiptOrganizations(
      trx,
      { id: receipt.id, mode: receipt.mode, receivedAt: receipt.received_at },
      p.concerned,
    )
    await metaReceiptsStore.updateReceipt(trx, receipt.id, {
      events_recorded: p.eventsRecorded,
      note: p.notes.length > 0 ? p.notes.join('; ').slice(0, 2000) : null,
    })
    return {
      outcome: 'processed' as const,
      eventsRecorded: p.eventsRecorded,
      deliveryIds: p.deliveryIds,
      notes: p.notes,
      mode: receipt.mode,
      installedWabaIds: p.installedWabaIds,
    }
  })
  await ctx.queue.deliveries(processed.deliveryIds)
  return processed
}

async function processEnvelope(p: Processing, envelope: MetaEnvelope): Promise<void> {
  if (envelope.object !== undefined && envelope.object !== 'whatsapp_business_account') {
    p.notes.push(`object "${envelope.object}" is not relayed`)
    return
  }
  for (const entry of envelope.entry) {
    for (const change of entry.changes) {
      if (change.field === 'messages') await handleMessagesChange(p, entry, change.value)
      else if (change.field === 'account_update') await handleAccountUpdate(p, entry, change.value)
      else if (change.field === 'phone_number_quality_update')
        await handleQualityUpdate(p, entry, change.value)
      else p.notes.push(`field "${change.field}" is not relayed`)
    }
  }
}

function parseEnvelope(body: string): MetaEnvelope | null {
  try {
    const parsed = metaEnvelopeSchema.safeParse(JSON.parse(body))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}
