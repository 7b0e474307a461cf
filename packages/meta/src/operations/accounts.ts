import type { z } from 'zod'
import { type Graph, nodeId } from '../graph'
import {
  healthResponse,
  pagedPhoneNumbers,
  phoneNumber,
  subscribedAppsResponse,
  wabaResponse,
} from '../schemas'
import { parseBody } from '../transport'
import type { MetaClient, MetaPhoneHealth, MetaPhoneNumber, MetaWaba } from '../types'

const WABA_FIELDS = 'id,name,currency,timezone_id,message_template_namespace,owner_business_info'
const PHONE_FIELDS =
  'id,display_phone_number,verified_name,quality_rating,code_verification_status,platform_type,status,name_status'
const PIN_PATTERN = /^\d{6}$/

type AccountOperations = Pick<
  MetaClient,
  | 'getWaba'
  | 'getPhoneNumber'
  | 'listPhoneNumbers'
  | 'subscribeApp'
  | 'getSubscribedApps'
  | 'registerPhone'
  | 'getPhoneHealth'
>

/** A WABA, its phone numbers, the app's subscription to it, registration and health. */
export function accountOperations(graph: Graph): AccountOperations {
  return {
    async getWaba(wabaId, token): Promise<MetaWaba> {
      const operation = 'getWaba'
      const response = await graph.call({
        operation,
        method: 'GET',
        path: nodeId(wabaId, 'wabaId'),
        query: { fields: WABA_FIELDS },
        token,
        retry: true,
      })
      return toWaba(parseBody(wabaResponse, response, operation))
    },

    async getPhoneNumber(phoneNumberId, token): Promise<MetaPhoneNumber> {
      const operation = 'getPhoneNumber'
      const response = await graph.call({
        operation,
        method: 'GET',
        path: nodeId(phoneNumberId, 'phoneNumberId'),
        query: { fields: PHONE_FIELDS },
        token,
        retry: true,
      })
      return toPhoneNumber(parseBody(phoneNumber, response, operation))
    },

    async listPhoneNumbers(wabaId, token): Promise<MetaPhoneNumber[]> {
      const phones = await graph.collectPages(
        {
          operation: 'listPhoneNumbers',
          path: `${nodeId(wabaId, 'wabaId')}/phone_numbers`,
          query: { fields: PHONE_FIELDS },
          token,
        },
        pagedPhoneNumbers,
      )
      return phones.map(toPhoneNumber)
    },

    async subscribeApp(wabaId, token) {
      await graph.ensureSuccess({
        operation: 'subscribeApp',
        method: 'POST',
        path: `${nodeId(wabaId, 'wabaId')}/subscribed_apps`,
        token,
        retry: true,
      })
    },

    async getSubscribedApps(wabaId, token) {
      const operation = 'getSubscribedApps'
      const response = await graph.call({
        operation,
        method: 'GET',
        path: `${nodeId(wabaId, 'wabaId')}/subscribed_apps`,
        token,
        retry: true,
      })
      const body = parseBody(subscribedAppsResponse, response, operation)
      return body.data.flatMap((entry) => {
        const app = entry.whatsapp_business_api_data
        return app ? [{ appId: app.id, name: app.name }] : []
      })
    },

    async registerPhone(phoneNumberId, pin, token) {
      if (!PIN_PATTERN.test(pin)) throw new TypeError('pin must be exactly 6 digits')
      await graph.ensureSuccess({
        operation: 'registerPhone',
        method: 'POST',
        path: `${nodeId(phoneNumberId, 'phoneNumberId')}/register`,
        jsonBody: { messaging_product: 'whatsapp', pin },
        token,
        // Registering again with the same PIN is harmless and Meta's register budget is 10 per 72 h.
        retry: true,
        secrets: [pin],
      })
    },

    async getPhoneHealth(phoneNumberId, token): Promise<MetaPhoneHealth> {
      const operation = 'getPhoneHealth'
      const response = await graph.call({
        operation,
        method: 'GET',
        path: nodeId(phoneNumberId, 'phoneNumberId'),
        query: { fields: 'health_status' },
        token,
        retry: true,
      })
      return toPhoneHealth(parseBody(healthResponse, response, operation).health_status)
    },
  }
}

function toWaba(body: z.infer<typeof wabaResponse>): MetaWaba {
  return {
    id: body.id,
    name: body.name ?? '',
    currency: body.currency,
    timezoneId: body.timezone_id == null ? null : String(body.timezone_id),
    ownerBusiness: body.owner_business_info
      ? { id: body.owner_business_info.id, name: body.owner_business_info.name }
      : null,
    messageTemplateNamespace: body.message_template_namespace,
  }
}

function toPhoneNumber(p: z.infer<typeof phoneNumber>): MetaPhoneNumber {
  return {
    id: p.id,
    displayPhoneNumber: p.display_phone_number,
    verifiedName: p.verified_name,
    qualityRating: p.quality_rating,
    codeVerificationStatus: p.code_verification_status,
    platformType: p.platform_type,
    status: p.status,
    nameStatus: p.name_status,
  }
}

function toPhoneHealth(health: z.infer<typeof healthResponse>['health_status']): MetaPhoneHealth {
  return {
    canSendMessage: health.can_send_message,
    entities: (health.entities ?? []).map((e) => ({
      entityType: e.entity_type,
      id: e.id,
      canSendMessage: e.can_send_message,
      additionalInfo: e.additional_info ?? [],
      errors: (e.errors ?? []).map((err) => ({
        errorCode: err.error_code,
        errorDescription: err.error_description ?? '',
        possibleSolution: err.possible_solution,
      })),
    })),
  }
}
