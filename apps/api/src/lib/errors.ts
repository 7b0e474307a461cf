import { AppError, type ErrorDetail, errors } from '@onboard/core'
import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { z } from 'zod'
import type { AppEnv } from './env'

export const errorResponseSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ example: 'validation_error' }),
      message: z.string().meta({ example: 'name: is required' }),
      details: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
      messageId: z.string().optional().meta({
        description:
          'With `meta_outcome_unknown`: the stored message (`GET /v1/messages/{id}`) whose send Meta did not answer',
      }),
    }),
  })
  .meta({ id: 'Error' })

/** An error response documented with the shared envelope. */
export const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: errorResponseSchema } },
})

/** The error responses every authenticated route can give, documented once. */
export const commonErrorResponses = {
  400: errorResponse('The request is invalid; `details` names each field and the reason'),
  401: errorResponse('The API key is missing, malformed, unknown or revoked'),
  404: errorResponse('No such object in this organisation and mode'),
  413: errorResponse('The body is larger than 64 KB'),
  415: errorResponse('The body is not JSON'),
} as const

export function errorEnvelope(error: AppError) {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details ? { details: error.details } : {}),
      ...(error.messageId ? { messageId: error.messageId } : {}),
    },
  }
}

/**
 * nginx's status for a client that went away before its request was complete. Nobody
 * reads the response; the request log line carries the code, at info: not our failure.
 */
export const CLIENT_CLOSED_REQUEST_STATUS = 499

export const clientClosedRequest = () =>
  new AppError(
    'client_closed_request',
    CLIENT_CLOSED_REQUEST_STATUS,
    'The client closed the connection before the request was complete.',
  )

/** The one place an error becomes an HTTP response. Unknown errors never leak their text. */
export function handleError(err: Error, c: Context<AppEnv>): Response {
  const appError = toAppError(err)
  if (appError.status >= 500) {
    c.var.logger?.error({ err }, 'request failed')
  }
  if (appError.retryAfterSeconds !== undefined) {
    c.header('Retry-After', String(appError.retryAfterSeconds))
  }
  return c.json(errorEnvelope(appError), appError.status as ContentfulStatusCode)
}

function toAppError(err: Error): AppError {
  if (err instanceof AppError) return err
  if (err instanceof HTTPException) {
    if (err.status === 413)
      return new AppError('payload_too_large', 413, 'The request body must be at most 64 KB.')
    if (err.status === 400) {
      return new AppError('invalid_json', 400, 'The request body must be a valid JSON object.')
    }
    return new AppError(
      'http_error',
      err.status,
      err.message || 'The request could not be handled.',
    )
  }
  return new AppError(
    'internal_error',
    500,
    'Something went wrong on our side; please retry later.',
  )
}

/** zod issues → one detail per field, phrased for a person reading a curl response. */
export function zodIssuesToDetails(issues: z.core.$ZodIssue[]): ErrorDetail[] {
  const details: ErrorDetail[] = []
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        details.push({
          field: joinPath([...issue.path, key]),
          message: 'is not a recognised field',
        })
      }
      continue
    }
    details.push({ field: joinPath(issue.path) || '(body)', message: describeIssue(issue) })
  }
  return details
}

function joinPath(path: PropertyKey[]): string {
  return path.reduce<string>((out, part) => {
    if (typeof part === 'number') return `${out}[${part}]`
    return out ? `${out}.${String(part)}` : String(part)
  }, '')
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type': {
      // zod 4 leaves `input` off issues; its message names what was received instead.
      const received = /received (\w+)/.exec(issue.message)?.[1]
      if (received === 'undefined') return 'is required'
      return `must be ${article(issue.expected)}${received ? ` (got ${received})` : ''}`
    }
    case 'too_small':
      return issue.origin === 'string'
        ? `must be at least ${plural(Number(issue.minimum), 'character')}`
        : issue.origin === 'array'
          ? `must contain at least ${plural(Number(issue.minimum), 'item')}`
          : `must be at least ${issue.minimum}`
    case 'too_big':
      return issue.origin === 'string'
        ? `must be at most ${plural(Number(issue.maximum), 'character')}`
        : issue.origin === 'array'
          ? `must contain at most ${plural(Number(issue.maximum), 'item')}`
          : `must be at most ${issue.maximum}`
    default:
      return issue.message
  }
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`
}

function article(type: string): string {
  if (type === 'object' || type === 'record') return 'a JSON object'
  if (type === 'array') return 'a JSON array'
  if (type === 'integer' || type === 'int') return 'an integer'
  return `a ${type}`
}

/** defaultHook for every OpenAPIHono router: validation failures become our 400 envelope. */
export function validationHook(result: { success: boolean; error?: z.ZodError }): void {
  if (!result.success && result.error) {
    throw errors.validation(zodIssuesToDetails(result.error.issues))
  }
}
