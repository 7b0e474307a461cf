import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { fbtraceId } from '../ids'

export interface GraphErrorSpec {
  status: ContentfulStatusCode
  message: string
  type: 'OAuthException' | 'GraphMethodException'
  code: number
  subcode?: number
  errorData?: Record<string, string>
  isTransient?: boolean
  /** Extra headers Meta sends with this error (WWW-Authenticate on code exchange). */
  headers?: Record<string, string>
}

/** Thrown inside Graph handlers; rendered as Meta's `{error:{…}}` envelope. */
export class GraphFailure extends Error {
  constructor(readonly spec: GraphErrorSpec) {
    super(spec.message)
  }
}

export function renderGraphError(c: Context, spec: GraphErrorSpec): Response {
  for (const [name, value] of Object.entries(spec.headers ?? {})) c.header(name, value)
  return c.json(
    {
      error: {
        message: spec.message,
        type: spec.type,
        code: spec.code,
        ...(spec.subcode === undefined ? {} : { error_subcode: spec.subcode }),
        ...(spec.errorData
          ? { error_data: { messaging_product: 'whatsapp', ...spec.errorData } }
          : {}),
        ...(spec.isTransient === undefined ? {} : { is_transient: spec.isTransient }),
        fbtrace_id: fbtraceId(),
      },
    },
    spec.status,
  )
}

/** Meta's errors, by situation. Messages follow Meta's wording where it is known. */
export const graphErrors = {
  missingToken: (): GraphErrorSpec => ({
    status: 400,
    message: 'An access token is required to request this resource.',
    type: 'OAuthException',
    code: 104,
  }),
  badToken: (): GraphErrorSpec => ({
    status: 401,
    message: 'Invalid OAuth access token - Cannot parse access token',
    type: 'OAuthException',
    code: 190,
  }),
  badProof: (): GraphErrorSpec => ({
    status: 400,
    message: 'Invalid appsecret_proof provided in the API argument',
    type: 'GraphMethodException',
    code: 100,
  }),
  permission: (): GraphErrorSpec => ({
    status: 403,
    message: '(#200) Permissions error',
    type: 'OAuthException',
    code: 200,
  }),
  unknownObject: (id: string): GraphErrorSpec => ({
    status: 400,
    message: `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
    type: 'GraphMethodException',
    code: 100,
    subcode: 33,
  }),
  unknownPath: (path: string): GraphErrorSpec => ({
    status: 400,
    message: `Unknown path components: ${path}`,
    type: 'OAuthException',
    code: 2500,
  }),
  nonexistingField: (field: string, nodeType: string): GraphErrorSpec => ({
    status: 400,
    message: `(#100) Tried accessing nonexisting field (${field}) on node type (${nodeType})`,
    type: 'OAuthException',
    code: 100,
  }),
  requiredParam: (name: string): GraphErrorSpec => ({
    status: 400,
    message: `(#100) The parameter ${name} is required`,
    type: 'OAuthException',
    code: 100,
  }),
  invalidParam: (details: string): GraphErrorSpec => ({
    status: 400,
    message: '(#100) Invalid parameter',
    type: 'OAuthException',
    code: 100,
    errorData: { details },
  }),
  codeExpired: (): GraphErrorSpec => ({
    status: 400,
    message: 'This authorization code has expired.',
    type: 'OAuthException',
    code: 100,
    subcode: 36007,
    headers: {
      'WWW-Authenticate':
        'OAuth "Facebook Platform" "invalid_code" "This authorization code has expired."',
    },
  }),
  codeUsed: (): GraphErrorSpec => ({
    status: 400,
    message: 'This authorization code has been used.',
    type: 'OAuthException',
    code: 100,
    subcode: 36009,
    headers: {
      'WWW-Authenticate':
        'OAuth "Facebook Platform" "invalid_code" "This authorization code has been used."',
    },
  }),
  codeUnknown: (): GraphErrorSpec => ({
    status: 400,
    message: 'Invalid verification code format.',
    type: 'OAuthException',
    code: 100,
  }),
  badClientId: (missing: boolean): GraphErrorSpec => ({
    status: 400,
    message: missing
      ? 'Missing client_id parameter.'
      : 'Error validating application. Invalid application ID.',
    type: 'OAuthException',
    code: 101,
  }),
  badClientSecret: (): GraphErrorSpec => ({
    status: 400,
    message: 'Error validating client secret.',
    type: 'OAuthException',
    code: 1,
  }),
  pinMismatch: (): GraphErrorSpec => ({
    status: 400,
    message: '(#133005) Two step verification PIN Mismatch',
    type: 'OAuthException',
    code: 133005,
    errorData: { details: 'Two step verification PIN incorrect' },
  }),
  registerBudget: (): GraphErrorSpec => ({
    status: 400,
    message: '(#133016) Account register deregister rate limit exceeded',
    type: 'OAuthException',
    code: 133016,
    errorData: {
      details: 'Too many register/deregister requests for this phone number in the last 72 hours.',
    },
  }),
  wabaRateLimit: (): GraphErrorSpec => ({
    status: 400,
    message: '(#80007) Rate limit issues',
    type: 'OAuthException',
    code: 80007,
    errorData: { details: 'The WhatsApp Business Account has reached its rate limit.' },
  }),
  appRateLimit: (): GraphErrorSpec => ({
    status: 400,
    message: '(#4) Application request limit reached',
    type: 'OAuthException',
    code: 4,
    isTransient: true,
  }),
  /** A send's failure, by Graph code (the magic recipients; see SANDBOX_FAILING_RECIPIENTS). */
  sendFailure: (code: number): GraphErrorSpec => {
    const known = SEND_FAILURES[code]
    if (!known) throw new Error(`no send failure is defined for Graph code ${code}`)
    return known
  },
  notRegistered: (): GraphErrorSpec => ({
    status: 400,
    message: '(#133010) Account not registered',
    type: 'OAuthException',
    code: 133010,
    errorData: { details: 'Account not registered' },
  }),
  unknownTemplate: (name: string, language: string): GraphErrorSpec => ({
    status: 404,
    message: '(#132001) Template name does not exist in the translation',
    type: 'OAuthException',
    code: 132001,
    errorData: { details: `template name (${name}) does not exist in ${language}` },
  }),
}

function messagingError(code: number, title: string, details: string): GraphErrorSpec {
  return {
    status: 400,
    message: `(#${code}) ${title}`,
    type: 'OAuthException',
    code,
    errorData: { details },
  }
}

/** Meta's wording for each failure the magic recipients reproduce. */
const SEND_FAILURES: Record<number, GraphErrorSpec> = {
  131047: messagingError(
    131047,
    'Re-engagement message',
    'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
  ),
  131026: messagingError(
    131026,
    'Message undeliverable',
    'Unable to deliver message. Reasons can include: the recipient phone number is not a WhatsApp phone number.',
  ),
  131030: messagingError(
    131030,
    'Recipient phone number not in allowed list',
    'Recipient phone number not in allowed list: Add recipient phone number to recipient list and try again.',
  ),
  130429: messagingError(
    130429,
    'Rate limit hit',
    'Cloud API message throughput has been reached.',
  ),
  131048: messagingError(
    131048,
    'Spam rate limit hit',
    'Message failed to send because there are restrictions on how many messages can be sent from this phone number.',
  ),
  131056: messagingError(
    131056,
    '(Business Account, Consumer Account) pair rate limit hit',
    'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.',
  ),
  80007: {
    status: 400,
    message: '(#80007) Rate limit issues',
    type: 'OAuthException',
    code: 80007,
    errorData: { details: 'The WhatsApp Business Account has reached its rate limit.' },
  },
  190: {
    status: 401,
    message: 'Error validating access token: Session has expired.',
    type: 'OAuthException',
    code: 190,
    subcode: 463,
  },
  2: {
    status: 503,
    message: '(#2) Service temporarily unavailable',
    type: 'OAuthException',
    code: 2,
    isTransient: true,
  },
}
