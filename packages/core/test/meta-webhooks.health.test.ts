import type { PhoneNumberRow, WabaRow } from '@onboard/db'
import { describe, expect, it } from 'vitest'
import { phones } from '../src/index'

const phone = (meta_status: string | null) => ({ meta_status }) as PhoneNumberRow
const waba = (status: 'connected' | 'disconnected') => ({ status }) as WabaRow

describe('health facts from Meta webhooks', () => {
  it('blocks messaging for an uninstalled WABA or a disconnected, banned or restricted number', () => {
    expect(phones.webhookHealth(phone('CONNECTED'), waba('disconnected'))).toMatchObject({
      blocksMessaging: true,
      issues: [{ code: 'waba_disconnected', severity: 'error', source: 'meta_webhook' }],
    })
    for (const status of ['DISCONNECTED', 'BANNED', 'RESTRICTED']) {
      expect(phones.webhookHealth(phone(status), waba('connected'))).toMatchObject({
        blocksMessaging: true,
        issues: [{ code: `phone_${status.toLowerCase()}`, severity: 'error' }],
      })
    }
  })

  it('warns about a flagged number and says nothing for connected or pending ones', () => {
    expect(phones.webhookHealth(phone('FLAGGED'), waba('connected'))).toMatchObject({
      blocksMessaging: false,
      issues: [{ code: 'phone_flagged', severity: 'warning' }],
    })
    for (const status of ['CONNECTED', 'PENDING', null]) {
      expect(phones.webhookHealth(phone(status), waba('connected'))).toEqual({
        blocksMessaging: false,
        issues: [],
      })
    }
  })
})
