import { type AppError, isAppError, type Tenant } from '@onboard/core'
import type { Context } from 'hono'
import type { z } from 'zod'
import type { AppEnv } from '../../lib/env'
import { zodIssuesToDetails } from '../../lib/errors'
import type { ConsoleDeps } from './deps'

/** Field name → what is wrong with it, shown next to that field. */
export type FieldErrors = Record<string, string>

/** The signed-in session's organisation and mode: every console lookup is scoped to it. */
export function tenantOf(c: Context<AppEnv>): Tenant {
  return { organizationId: c.var.console.organizationId, mode: c.var.console.mode }
}

/** `events[1]` and `events` both belong next to the Events field. */
function fieldOf(path: string): string {
  return path.split(/[.[]/)[0] || path
}

function toFieldErrors(details: { field: string; message: string }[]): FieldErrors {
  const out: FieldErrors = {}
  for (const detail of details) {
    const field = fieldOf(detail.field)
    out[field] = out[field] ? `${out[field]}; ${detail.message}` : detail.message
  }
  return out
}

/** A form checked with the API's own schema: its data, or the API's messages per field. */
export function parseForm<S extends z.ZodType>(
  schema: S,
  input: unknown,
): { ok: true; data: z.infer<S> } | { ok: false; errors: FieldErrors } {
  const parsed = schema.safeParse(input)
  if (parsed.success) return { ok: true, data: parsed.data }
  return { ok: false, errors: toFieldErrors(zodIssuesToDetails(parsed.error.issues)) }
}

/** A core validation error (400 with details) as field errors; anything else is rethrown. */
export function fieldErrorsOf(error: unknown): FieldErrors {
  if (isAppError(error) && error.status === 400 && error.details?.length) {
    return toFieldErrors(error.details)
  }
  throw error
}

/** Another organisation's (or mode's) id reads as "no such thing": the console's 404 page. */
export async function orNotFound(
  c: Context<AppEnv>,
  deps: ConsoleDeps,
  page: () => Promise<Response>,
): Promise<Response> {
  try {
    return await page()
  } catch (error) {
    if (isAppError(error) && error.status === 404) return deps.notFound(c)
    throw error
  }
}

/** A refusal of an action (e.g. 409: the endpoint is disabled), in the words of core. */
export function isRefusal(error: unknown): error is AppError {
  return isAppError(error) && error.status === 409
}
