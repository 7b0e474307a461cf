import { z } from 'zod'

/** A JSON object whose serialised form stays within `maxBytes` (metadata, prefill). */
export function jsonObjectSchema(maxBytes: number) {
  return z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
    const size = Buffer.byteLength(JSON.stringify(value), 'utf8')
    if (size > maxBytes) {
      ctx.addIssue({
        code: 'custom',
        message: `must be at most ${maxBytes / 1024} KB when serialised (got ${size} bytes)`,
      })
    }
  })
}

export function parseJson<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T)
}
