import type { Context } from 'hono'

/**
 * Graph takes parameters from the query string or the body (form or JSON) interchangeably.
 * Body values win, as they do on Graph.
 */
export async function readParams(c: Context): Promise<Record<string, string>> {
  const params: Record<string, string> = { ...c.req.query() }
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return params
  const type = c.req.header('content-type') ?? ''
  let body: Record<string, unknown> = {}
  try {
    if (type.includes('application/json')) {
      const json: unknown = await c.req.json()
      if (json && typeof json === 'object' && !Array.isArray(json))
        body = json as Record<string, unknown>
    } else if (type.includes('form')) {
      body = await c.req.parseBody()
    }
  } catch {
    body = {}
  }
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === 'string') params[key] = value
    else if (typeof value === 'number' || typeof value === 'boolean') params[key] = String(value)
    else if (value && typeof value === 'object' && !(value instanceof Blob)) {
      params[key] = JSON.stringify(value)
    }
  }
  return params
}

/** `fields=a,b{c,d},e` → ['a', 'b', 'e']: nested selections are answered in full. */
export function requestedFields(params: Record<string, string>, defaults: string[]): string[] {
  const raw = params.fields
  if (!raw) return defaults
  const fields: string[] = []
  let depth = 0
  let current = ''
  for (const ch of raw) {
    if (ch === '{') depth++
    else if (ch === '}') depth--
    else if (depth === 0 && ch === ',') {
      fields.push(current.trim())
      current = ''
    } else if (depth === 0) current += ch
  }
  fields.push(current.trim())
  return fields.filter((f) => f.length > 0)
}
