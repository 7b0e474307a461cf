import type { SandboxPhone, SandboxWaba } from '../state'

interface HealthEntity {
  entity_type: string
  id: string
  can_send_message: string
  additional_info?: string[]
  errors?: Array<{ error_code: number; error_description: string; possible_solution: string }>
}

const SEVERITY = ['AVAILABLE', 'LIMITED', 'BLOCKED']

/** Meta's health_status for a phone number or a WABA: the overall value is the worst entity's. */
export function healthStatus(input: { waba: SandboxWaba; phone?: SandboxPhone; appId: string }) {
  const { waba, phone, appId } = input
  const entities: HealthEntity[] = []
  if (phone) {
    entities.push(
      phone.health === 'LIMITED'
        ? {
            entity_type: 'PHONE_NUMBER',
            id: phone.id,
            can_send_message: 'LIMITED',
            additional_info: [
              'Your display name has not been approved yet. Your message limit will increase after the display name is approved.',
            ],
          }
        : { entity_type: 'PHONE_NUMBER', id: phone.id, can_send_message: 'AVAILABLE' },
    )
  }
  entities.push(
    phone?.health === 'BLOCKED'
      ? {
          entity_type: 'WABA',
          id: waba.id,
          can_send_message: 'BLOCKED',
          errors: [
            {
              error_code: 141006,
              error_description: 'There is an error with the payment method.',
              possible_solution:
                'There was an error with your payment method. Please add a new payment method to the account.',
            },
          ],
        }
      : { entity_type: 'WABA', id: waba.id, can_send_message: 'AVAILABLE' },
  )
  entities.push({ entity_type: 'BUSINESS', id: waba.businessId, can_send_message: 'AVAILABLE' })
  entities.push(
    Object.hasOwn(waba.subscribedApps, appId)
      ? { entity_type: 'APP', id: appId, can_send_message: 'AVAILABLE' }
      : {
          entity_type: 'APP',
          id: appId,
          can_send_message: 'LIMITED',
          additional_info: [
            'Your app is not subscribed to the message webhook. This means you will not receive any messages sent to your phone number.',
          ],
        },
  )
  const worst = Math.max(...entities.map((e) => SEVERITY.indexOf(e.can_send_message)))
  return { can_send_message: SEVERITY[worst] ?? 'AVAILABLE', entities }
}
