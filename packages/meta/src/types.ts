import type { Dispatcher } from 'undici'

export interface MetaClientOptions {
  /** Graph origin plus any path prefix, e.g. `https://graph.facebook.com` or a sandbox's `/graph`. */
  graphUrl: string
  /** e.g. `v25.0`; an empty string calls unversioned paths. */
  graphVersion: string
  appId: string
  appSecret: string
  /** Per attempt, covering connect, headers and body. Default 10000. */
  timeoutMs?: number
  /** Extra attempts for transient Meta failures only. Default 2. */
  maxRetries?: number
  /** First retry delay; doubles per attempt, plus jitter. Default 250. */
  retryBaseDelayMs?: number
  /** Upper bound on phone-number pages followed. Default 20. */
  maxPages?: number
  dispatcher?: Dispatcher
}

export interface ExchangedToken {
  accessToken: string
  /** null for Business Integration System User tokens, which never expire. */
  expiresAt: Date | null
}

export interface TokenDebugInfo {
  isValid: boolean
  expiresAt: Date | null
  scopes: string[]
  /** target_ids of whatsapp_business_management; Meta lists the newest WABA first. */
  wabaIds: string[]
}

export interface MetaWaba {
  id: string
  name: string
  currency: string | null
  timezoneId: string | null
  ownerBusiness: { id: string; name: string | null } | null
  messageTemplateNamespace?: string | null
}

export interface MetaPhoneNumber {
  id: string
  displayPhoneNumber: string
  verifiedName: string | null
  qualityRating: string | null
  codeVerificationStatus: string | null
  platformType: string | null
  status: string | null
  nameStatus: string | null
}

interface MetaSubscribedApp {
  appId: string
  name: string | null
}

interface MetaHealthEntity {
  entityType: string
  id: string
  canSendMessage: string
  additionalInfo: string[]
  errors: Array<{ errorCode: number; errorDescription: string; possibleSolution: string | null }>
}

export interface MetaPhoneHealth {
  canSendMessage: 'AVAILABLE' | 'LIMITED' | 'BLOCKED' | (string & {})
  entities: MetaHealthEntity[]
}

/** What Graph answered to `POST /{phone-number-id}/messages`. */
export interface SentMessage {
  /** `wamid.…`: the id Meta's status webhooks name the message by. */
  wamid: string
  /** The WhatsApp id Meta resolved the recipient to, when it says. */
  waId: string | null
  /** `accepted`, `held_for_quality_assessment`, `paused` (templates), when it says. */
  messageStatus: string | null
}

export interface MetaMessageTemplate {
  id: string | null
  name: string
  language: string
  category: string | null
  status: string | null
  /** As Meta sends them (HEADER, BODY, FOOTER, BUTTONS, with their own fields). */
  components: Array<Record<string, unknown>>
}

export interface MetaClient {
  /** Never retried: codes are single-use and live 30 seconds. */
  exchangeCode(code: string, opts?: { redirectUri?: string }): Promise<ExchangedToken>
  /** Inspects a token with the app token `APP_ID|APP_SECRET`; an invalid token is data, not an error. */
  debugToken(inputToken: string): Promise<TokenDebugInfo>
  getWaba(wabaId: string, token: string): Promise<MetaWaba>
  listPhoneNumbers(wabaId: string, token: string): Promise<MetaPhoneNumber[]>
  /** One number as Meta sees it now (after a registration, `status` is `CONNECTED`). */
  getPhoneNumber(phoneNumberId: string, token: string): Promise<MetaPhoneNumber>
  subscribeApp(wabaId: string, token: string): Promise<void>
  getSubscribedApps(wabaId: string, token: string): Promise<MetaSubscribedApp[]>
  /** `pin` becomes the number's two-step verification PIN; exactly 6 digits. */
  registerPhone(phoneNumberId: string, pin: string, token: string): Promise<void>
  getPhoneHealth(phoneNumberId: string, token: string): Promise<MetaPhoneHealth>
  /**
   * `POST /{phone-number-id}/messages` with a Cloud API body (`messaging_product` added when
   * missing). Never retried: a retry after a lost answer could deliver the message twice.
   */
  sendMessage(
    phoneNumberId: string,
    body: Record<string, unknown>,
    token: string,
  ): Promise<SentMessage>
  /** The WABA's message templates, every page (up to `maxPages`). */
  listMessageTemplates(wabaId: string, token: string): Promise<MetaMessageTemplate[]>
}
