import { type Db, type MetaWabaInstallRow, type Mode, metaReceiptsStore } from '@onboard/db'

/** What Meta's account_update webhooks said about one WABA, our sign-up or not. */
export interface WabaInstall {
  mode: Mode
  metaWabaId: string
  /** shared: PARTNER_ADDED; installed: PARTNER_APP_INSTALLED; removed: removed or uninstalled. */
  status: 'shared' | 'installed' | 'removed'
  lastEvent: string
  /** The customer's business portfolio. */
  ownerBusinessId: string | null
  partnerAppId: string | null
  solutionId: string | null
  disconnectionReason: string | null
  installedAt: string | null
  removedAt: string | null
  /** When Meta says the last event happened. */
  eventTime: string
  updatedAt: string
}

function toInstall(row: MetaWabaInstallRow): WabaInstall {
  return {
    mode: row.mode,
    metaWabaId: row.meta_waba_id,
    status: row.status,
    lastEvent: row.last_event,
    ownerBusinessId: row.owner_business_id,
    partnerAppId: row.partner_app_id,
    solutionId: row.solution_id,
    disconnectionReason: row.disconnection_reason,
    installedAt: row.installed_at,
    removedAt: row.removed_at,
    eventTime: row.event_time,
    updatedAt: row.updated_at,
  }
}

/**
 * The install facts of a Meta WABA in a mode (sandbox-signed webhooks are test mode), or
 * null if Meta never told us about it. For completing an interrupted sign-up: a WABA whose
 * status is `installed` has granted our app access even though no callback reached us.
 */
export async function findInstalledWaba(
  db: Db,
  input: { mode: Mode; metaWabaId: string },
): Promise<WabaInstall | null> {
  const row = await metaReceiptsStore.findInstall(db, input.mode, input.metaWabaId)
  return row ? toInstall(row) : null
}

/** Installed WABAs with no connected WABA row of ours in that mode: sign-ups left unfinished. */
export async function listUnclaimedInstalls(
  db: Db,
  input: { mode: Mode; limit: number },
): Promise<WabaInstall[]> {
  const rows = await metaReceiptsStore.unclaimedInstalls(db, input)
  return rows.map(toInstall)
}

/**
 * Marks the WABA's current PARTNER_APP_INSTALLED as used by one session or link (`claimant`),
 * inside the completion's transaction. False when another one already claimed it, or when
 * there is no current install to claim.
 */
export async function claimInstall(
  trx: Db,
  input: { mode: Mode; metaWabaId: string; claimant: string; now: string },
): Promise<boolean> {
  return metaReceiptsStore.claimInstall(trx, {
    mode: input.mode,
    metaWabaId: input.metaWabaId,
    claimant: input.claimant,
    at: input.now,
  })
}
