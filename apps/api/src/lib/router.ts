import { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from './env'
import { validationHook } from './errors'

/** Every router shares the validation hook: zod-openapi binds it per instance. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
}

export type Router = ReturnType<typeof createRouter>
