import {
  branding,
  businessProfiles,
  links,
  messages,
  outgoingWebhooks,
  paginationSchema,
  phones,
  sessions,
  signupCompletion,
  wabas,
} from '@onboard/core'
import { expect } from 'vitest'
import { z } from 'zod'
import { errorResponseSchema } from '../../src/lib/errors'
import { connectionSchema } from '../../src/routes/wabas/connection'

/**
 * Typed reading of the API's answers. The shapes are the routes' own zod schemas (from
 * @onboard/core, the ones that also build the OpenAPI document): a body is checked against
 * its schema and handed back as it came (not the parsed copy, so a test still sees every
 * field the server sent), typed, so tests never read `any`.
 */
export const shapes = {
  wabaConnection: connectionSchema,
  /** POST /webhooks/meta's answer; the route documents no body, so its shape is written here. */
  metaReceipt: z.object({ receiptId: z.string(), duplicate: z.boolean() }),
  link: links.onboardingLinkSchema,
  session: sessions.sessionSchema,
  createdSession: sessions.createdSessionSchema,
  endpoint: outgoingWebhooks.outgoingWebhookSchema,
  delivery: outgoingWebhooks.deliverySchema,
  phone: phones.phoneSchema,
  phoneDetail: phones.phoneDetailSchema,
  phoneHealth: phones.phoneHealthSchema,
  message: messages.messageSchema,
  sentMessage: messages.sentMessageSchema,
  template: messages.messageTemplateSchema,
  waba: wabas.wabaSchema,
  connectedAccount: wabas.connectedAccountSchema,
  businessProfile: businessProfiles.businessProfileSchema,
  signupOutcome: signupCompletion.signupOutcomeSchema,
  branding: branding.brandingSchema,
} as const

export type Shape<K extends keyof typeof shapes> = z.infer<(typeof shapes)[K]>
export type Pagination = z.infer<typeof paginationSchema>

/** The one error envelope every failure answers with: the routes' own schema for it. */
const errorEnvelopeSchema = errorResponseSchema
export type ErrorEnvelope = z.infer<typeof errorEnvelopeSchema>

/** The body as `schema` describes it, failing the test (naming the issues) if it is not. */
export async function readJson<S extends z.ZodType>(res: Response, schema: S): Promise<z.infer<S>> {
  const text = await res.text()
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw new Error(`HTTP ${res.status}: the body is not JSON: ${text.slice(0, 200)}`)
  }
  const checked = schema.safeParse(body)
  if (!checked.success) {
    throw new Error(
      `HTTP ${res.status}: the body does not match its schema: ${z.prettifyError(checked.error)}\n${text.slice(0, 500)}`,
    )
  }
  return body as z.infer<S>
}

/** `{ data }` of one object. */
export function readData<K extends keyof typeof shapes>(
  res: Response,
  shape: K,
): Promise<Shape<K>> {
  const schema: z.ZodType = shapes[shape]
  return readJson(res, z.object({ data: schema })).then((body) => body.data as Shape<K>)
}

/** `{ data: [...], pagination }` of a list. */
export function readList<K extends keyof typeof shapes>(
  res: Response,
  shape: K,
): Promise<{ data: Shape<K>[]; pagination: Pagination }> {
  const schema: z.ZodType = shapes[shape]
  return readJson(
    res,
    z.object({ data: z.array(schema), pagination: paginationSchema }),
  ) as Promise<{
    data: Shape<K>[]
    pagination: Pagination
  }>
}

/** The error envelope, after checking the status when one is given. */
export async function readError(res: Response, status?: number): Promise<ErrorEnvelope['error']> {
  if (status !== undefined) expect(res.status, `expected HTTP ${status}`).toBe(status)
  return (await readJson(res, errorEnvelopeSchema)).error
}

/**
 * A body whose shape the test asserts itself (a page of Meta's, a sandbox answer): its type is
 * what the test says it is; nothing is checked beyond its being JSON.
 */
export async function readBody<T>(res: Response): Promise<T> {
  return readJson(res, z.unknown()) as Promise<T>
}

/** A JSON Schema of the OpenAPI document, as far as tests read one. */
interface OpenApiSchema {
  type?: string | string[]
  enum?: unknown[]
  description?: string
  properties?: Record<string, OpenApiSchema>
  required?: string[]
  items?: OpenApiSchema
  anyOf?: OpenApiSchema[]
  oneOf?: OpenApiSchema[]
  $ref?: string
}

/** An operation of the OpenAPI document, as far as tests read one. */
interface OpenApiOperation {
  summary?: string
  description?: string
  parameters?: Array<{
    name: string
    in: string
    description?: string
    style?: string
    explode?: boolean
    schema?: OpenApiSchema
  }>
  requestBody?: { content: Record<string, { schema: OpenApiSchema }> }
  responses: Record<
    string,
    { description: string; content?: Record<string, { schema: OpenApiSchema }> }
  >
}

/** GET /openapi.json, read with `readBody<OpenApiDocument>`: the test asserts what it needs. */
export interface OpenApiDocument {
  paths: Record<
    string,
    Partial<Record<'get' | 'post' | 'patch' | 'put' | 'delete', OpenApiOperation>>
  >
  components: { schemas: Record<string, OpenApiSchema> }
}
