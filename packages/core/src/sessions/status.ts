import type { SignupSessionRow } from '@onboard/db'
import type { SessionStatus } from './schemas'

/** A pending session past its expiry reads as expired; reading never writes. */
export function effectiveSessionStatus(row: SignupSessionRow, now: Date): SessionStatus {
  if (row.status === 'pending' && row.expires_at <= now.toISOString()) return 'expired'
  return row.status
}

export function sessionUrlOf(publicBaseUrl: string, id: string): string {
  return `${publicBaseUrl}/signup/${id}`
}
