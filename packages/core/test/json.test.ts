import { describe, expect, it } from 'vitest'
import { assertAcceptableJsonBody, jsonDepth, jsonObjectSchema } from '../src/shared/json'

/** Built in a loop: JSON.parse or a recursive builder would be the thing under test. */
function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = {}
  for (let level = 1; level < depth; level++) value = { k: value }
  return value
}

describe('bounded JSON', () => {
  it('measures depth without recursion, however deep', () => {
    expect(jsonDepth('text')).toBe(0)
    expect(jsonDepth({})).toBe(1)
    expect(jsonDepth({ a: [1, { b: [] }] })).toBe(4)
    expect(jsonDepth(nested(200_000))).toBe(200_000)
    expect(jsonDepth(nested(200_000), 32)).toBe(33)
  })

  it('refuses an object deeper than 32 levels as an issue, not a stack overflow', () => {
    const schema = jsonObjectSchema(10 * 1024)
    expect(schema.safeParse(nested(32)).success).toBe(true)
    for (const depth of [33, 5_000, 200_000]) {
      const result = schema.safeParse(nested(depth))
      expect(result.success).toBe(false)
      expect(result.error?.issues[0]?.message).toMatch(/nested more than 32 levels/)
    }
  })

  it('refuses a body field deeper than 32 levels or a NUL anywhere, naming the field', () => {
    expect(() => assertAcceptableJsonBody({ metadata: nested(32), name: 'ok' })).not.toThrow()
    expect(() => assertAcceptableJsonBody({ metadata: nested(200_000) })).toThrow(
      /^metadata: must not be nested more than 32 levels deep$/,
    )
    expect(() => assertAcceptableJsonBody([{}, nested(40)])).toThrow(/^\[1\]: /)
    expect(() => assertAcceptableJsonBody({ a: { b: ['x', 'y\0'] } })).toThrow(/^a\.b\[1\]: .*NUL/)
    expect(() => assertAcceptableJsonBody('\0')).toThrow(/^\(body\): .*NUL/)
  })

  it('refuses a string or key that is not well-formed UTF-16 as invalid_json, naming the field', () => {
    const refused = (body: unknown) => {
      try {
        assertAcceptableJsonBody(body)
      } catch (error) {
        return error as { code: string; details: { field: string; message: string }[] }
      }
      return undefined
    }
    expect(refused({ name: 'x\ud83d\ude00y' })).toBeUndefined()
    expect(refused({ name: 'x\ud800y' })).toMatchObject({
      code: 'invalid_json',
      details: [{ field: 'name', message: expect.stringMatching(/UTF-16/) }],
    })
    expect(refused({ a: ['ok', '\udc00'] })?.details[0]?.field).toBe('a[1]')
    expect(refused({ a: { 'k\ud800': 1 } })).toMatchObject({
      code: 'invalid_json',
      details: [{ field: 'a', message: expect.stringMatching(/^keys /) }],
    })
    expect(refused('\ud800')?.details[0]?.field).toBe('(body)')
    // A NUL stays a validation error of the value.
    expect(refused({ name: 'a\0' })?.code).toBe('validation_error')
  })
})
