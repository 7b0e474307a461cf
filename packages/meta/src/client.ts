import type { z } from 'zod'
import { MetaError } from './errors'
import {
  accessTokenResponse,
  debugTokenResponse,
  healthResponse,
  pagedMessageTemplates,
  pagedPhoneNumbers,
  phoneNumber,
  sendMessageResponse,
  subscribedAppsResponse,
  successResponse,
  wabaResponse,
} from './schemas'
import {
  type GraphCall,
  parseBody,
  sendGraph,
  type TransportOptions,
  versionedBase,
} from './transport'
import type {
  MetaClient,
  MetaClientOptions,
  MetaMessageTemplate,
  MetaPhoneHealth,
  MetaPhoneNumber,
  MetaWaba,
  SentMessage,
  TokenDebugInfo,
} from './types'

const WABA_FIELDS = 'id,name,currency,timezone_id,message_template_namespace,owner_business_info'
const PHONE_FIELDS =
  'id,display_phone_number,verified_name,quality_rating,code_verification_status,platform_type,status,name_status'
const PIN_PATTERN = /^\d{6}$/
const TEMPLATE_FIELDS = 'id,name,language,category,status,components'

/**
 * Graph ids are digits; anything else would let a caller steer the request path. Ids often come
 * from the browser, so a bad one is a MetaError the caller already handles, not a crash.
 */
function nodeId(id: string, what: string): string {
  if (/^\d{1,32}$/.test(id)) return id
  throw new MetaError({
    code: 'meta_api_error',
    message: `${what} is not a Graph id (digits only); request not sent`,
    httpStatus: 0,
    retryable: false,
  })
}

function fromUnixSeconds(seconds: number | null | undefined): Date | null {
  return seconds ? new Date(seconds * 1000) : null
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

export function createMetaClient(options: MetaClientOptions): MetaClient {
  const transport: TransportOptions = {
    graphUrl: options.graphUrl,
    graphVersion: options.graphVersion,
    appSecret: options.appSecret,
    timeoutMs: options.timeoutMs ?? 10_000,
    maxRetries: options.maxRetries ?? 2,
    retryBaseDelayMs: options.retryBaseDelayMs ?? 250,
    dispatcher: options.dispatcher,
  }
  const maxPages = options.maxPages ?? 20
  const graphBase = versionedBase(transport)
  const appToken = `${options.appId}|${options.appSecret}`
  const call = (c: GraphCall) => sendGraph(transport, c)

  async function ensureSuccess(c: GraphCall): Promise<void> {
    const body = parseBody(successResponse, await call(c), c.operation)
    if (!body.success) {
      throw new MetaError({
        code: 'meta_api_error',
        message: `Meta ${c.operation} answered success: false`,
        httpStatus: 200,
        retryable: false,
      })
    }
  }

  /** Only pages on our configured Graph base are followed, so the token never leaves for another host. */
  function vetNextPage(next: string, operation: string): string {
    const url = new URL(next)
    if (url.origin !== graphBase.origin || !url.pathname.startsWith(graphBase.pathname)) {
      throw new MetaError({
        code: 'meta_api_error',
        message: `Meta ${operation} returned a next page outside the configured Graph URL; not followed`,
        httpStatus: 200,
        retryable: false,
      })
    }
    return url.toString()
  }

  return {
    async exchangeCode(code, opts = {}) {
      const operation = 'exchangeCode'
      const response = await call({
        operation,
        method: 'GET',
        path: 'oauth/access_token',
        query: {
          client_id: options.appId,
          client_secret: options.appSecret,
          code,
          redirect_uri: opts.redirectUri,
        },
        retry: false,
        isCodeExchange: true,
        secrets: [code],
      })
      const body = parseBody(accessTokenResponse, response, operation)
      return {
        accessToken: body.access_token,
        expiresAt: body.expires_in ? new Date(Date.now() + body.expires_in * 1000) : null,
      }
    },

    async debugToken(inputToken): Promise<TokenDebugInfo> {
      const operation = 'debugToken'
      const response = await call({
        operation,
        method: 'GET',
        path: 'debug_token',
        query: { input_token: inputToken },
        token: appToken,
        retry: true,
        secrets: [inputToken],
      })
      const { data } = parseBody(debugTokenResponse, response, operation)
      const management = (data.granular_scopes ?? []).find(
        (s) => s.scope === 'whatsapp_business_management',
      )
      return {
        isValid: data.is_valid === true,
        expiresAt: fromUnixSeconds(data.expires_at),
        scopes: data.scopes ?? [],
        wabaIds: management?.target_ids ?? [],
      }
    },

    async getWaba(wabaId, token): Promise<MetaWaba> {
      const operation = 'getWaba'
      const response = await call({
        operation,
        method: 'GET',
        path: nodeId(wabaId, 'wabaId'),
        query: { fields: WABA_FIELDS },
        token,
        retry: true,
      })
      const body = parseBody(wabaResponse, response, operation)
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
    },

    async getPhoneNumber(phoneNumberId, token): Promise<MetaPhoneNumber> {
      const operation = 'getPhoneNumber'
      const response = await call({
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
      const operation = 'listPhoneNumbers'
      const phones: MetaPhoneNumber[] = []
      let path = `${nodeId(wabaId, 'wabaId')}/phone_numbers`
      let query: GraphCall['query'] = { fields: PHONE_FIELDS }
      for (let page = 0; page < maxPages; page++) {
        const response = await call({ operation, method: 'GET', path, query, token, retry: true })
        const body = parseBody(pagedPhoneNumbers, response, operation)
        for (const p of body.data) phones.push(toPhoneNumber(p))
        const next = body.paging?.next
        if (!next || body.data.length === 0) break
        path = vetNextPage(next, operation)
        query = undefined
      }
      return phones
    },

    async subscribeApp(wabaId, token) {
      await ensureSuccess({
        operation: 'subscribeApp',
        method: 'POST',
        path: `${nodeId(wabaId, 'wabaId')}/subscribed_apps`,
        token,
        retry: true,
      })
    },

    async getSubscribedApps(wabaId, token) {
      const operation = 'getSubscribedApps'
      const response = await call({
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
      await ensureSuccess({
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
      const response = await call({
        operation,
        method: 'GET',
        path: nodeId(phoneNumberId, 'phoneNumberId'),
        query: { fields: 'health_status' },
        token,
        retry: true,
      })
      const { health_status: health } = parseBody(healthResponse, response, operation)
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
    },

    async sendMessage(phoneNumberId, body, token): Promise<SentMessage> {
      const operation = 'sendMessage'
      const response = await call({
        operation,
        method: 'POST',
        path: `${nodeId(phoneNumberId, 'phoneNumberId')}/messages`,
        jsonBody: { messaging_product: 'whatsapp', ...body },
        token,
        retry: false,
      })
      const parsed = parseBody(sendMessageResponse, response, operation)
      const [message] = parsed.messages
      const [contact] = parsed.contacts ?? []
      return {
        wamid: message?.id ?? '',
        waId: contact?.wa_id ?? null,
        messageStatus: message?.message_status ?? null,
      }
    },

    async listMessageTemplates(wabaId, token): Promise<MetaMessageTemplate[]> {
      const operation = 'listMessageTemplates'
      const templates: MetaMessageTemplate[] = []
      let path = `${nodeId(wabaId, 'wabaId')}/message_templates`
      let query: GraphCall['query'] = { fields: TEMPLATE_FIELDS, limit: '100' }
      for (let page = 0; page < maxPages; page++) {
        const response = await call({ operation, method: 'GET', path, query, token, retry: true })
        const body = parseBody(pagedMessageTemplates, response, operation)
        for (const t of body.data) {
          templates.push({
            id: t.id ?? null,
            name: t.name,
            language: t.language,
            category: t.category,
            status: t.status,
            components: t.components ?? [],
          })
        }
        const next = body.paging?.next
        if (!next || body.data.length === 0) break
        path = vetNextPage(next, operation)
        query = undefined
      }
      return templates
    },
  }
}
