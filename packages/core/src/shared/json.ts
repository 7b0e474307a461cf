import { z } from 'zod'
import { type ErrorDetail, errors } from '../errors'

/**
 * How deep any free-form JSON we accept may nest. SQLite's JSON functions give up past 1,000
 * levels (a stored value that deep would fail every metadata filter of its organisation) and
 * JSON.stringify recurses; 32 is far beyond any real identifiers and keeps both safe.
 */
const MAX_JSON_DEPTH = 32

const tooDeep = `must not be nested more than ${MAX_JSON_DEPTH} levels deep`
const hasNul = 'must not contain NUL characters (\\u0000)'

type Container = Record<string, unknown> | unknown[]

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null
}

/**
 * The nesting depth of parsed JSON (a scalar 0, `{}` or `[]` 1), counted with an explicit
 * stack so that no input can overflow the call stack; it stops looking past `limit`.
 */
export function jsonDepth(value: unknown, limit = Number.POSITIVE_INFINITY): number {
  let deepest = 0
  const stack: Array<[Container, number]> = isContainer(value) ? [[value, 1]] : []
  while (stack.length > 0) {
    const [container, depth] = stack.pop() as [Container, number]
    if (depth > deepest) deepest = depth
    if (deepest > limit) return deepest
    for (const child of Object.values(container)) {
      if (isContainer(child)) stack.push([child, depth + 1])
    }
  }
  return deepest
}

/** A JSON object whose serialised form stays within `maxBytes` (metadata, prefill). */
export function jsonObjectSchema(maxBytes: number) {
  return z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
    // Depth first: serialising recurses, and would overflow the stack on a deep enough value.
    if (jsonDepth(value, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
      ctx.addIssue({ code: 'custom', message: tooDeep })
      return
    }
    const size = Buffer.byteLength(JSON.stringify(value), 'utf8')
    if (size > maxBytes) {
      ctx.addIssue({
        code: 'custom',
        message: `must be at most ${maxBytes / 1024} KB when serialised (got ${size} bytes)`,
      })
    }
  })
}

type PathPart = string | number

/** `metadata.note[1]`, the way validation errors name fields. */
function fieldName(path: PathPart[]): string {
  let out = ''
  for (const part of path) {
    out = typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${part}` : part
  }
  return out || '(body)'
}

const notWellFormed =
  'must be well-formed UTF-16 text (a lone surrogate such as \\ud800 is not a character)'

/**
 * What is wrong with one string or key, if anything. A lone surrogate (`"\ud800"`) is valid
 * JSON syntax but no text: SQLite, UTF-8 encoders and receivers would turn it into U+FFFD, so
 * the client would read back something else than it sent.
 */
function textProblem(text: string): { malformed: boolean; message: string } | undefined {
  if (!text.isWellFormed()) return { malformed: true, message: notWellFormed }
  if (text.includes('\0')) return { malformed: false, message: hasNul }
  return undefined
}

interface BodyProblem {
  /** True for text that is not well-formed UTF-16 (a JSON problem), false for a NUL (a value problem). */
  malformed: boolean
  detail: ErrorDetail
}

/** The first string or key with a problem, searched with an explicit stack (depth is bounded by then). */
function firstTextProblem(body: unknown): BodyProblem | undefined {
  const stack: Array<[unknown, PathPart[]]> = [[body, []]]
  while (stack.length > 0) {
    const [value, path] = stack.pop() as [unknown, PathPart[]]
    if (typeof value === 'string') {
      const problem = textProblem(value)
      if (problem) {
        return {
          malformed: problem.malformed,
          detail: { field: fieldName(path), message: problem.message },
        }
      }
      continue
    }
    if (!isContainer(value)) continue
    const entries: Array<[PathPart, unknown]> = Array.isArray(value)
      ? value.map((child, index) => [index, child])
      : Object.entries(value)
    // Reversed onto the stack, so the first offending field in the body is the one reported.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i] as [PathPart, unknown]
      const problem = typeof key === 'string' ? textProblem(key) : undefined
      if (problem) {
        return {
          malformed: problem.malformed,
          detail: { field: fieldName(path), message: `keys ${problem.message}` },
        }
      }
      stack.push([child, [...path, key]])
    }
  }
  return undefined
}

/**
 * Rules every parsed JSON request body meets before any schema sees it: no field nests more
 * than MAX_JSON_DEPTH levels (so neither zod, JSON.stringify nor SQLite's JSON functions can
 * fail on it later); every string and key is well-formed UTF-16 (a lone surrogate is a 400
 * `invalid_json`, never silently repaired); and none holds a NUL, which C-string consumers
 * (logs, Meta, receivers) would truncate or refuse. Throws naming the field.
 */
export function assertAcceptableJsonBody(body: unknown): void {
  if (isContainer(body)) {
    for (const [key, child] of Object.entries(body)) {
      if (jsonDepth(child, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
        const field = Array.isArray(body) ? fieldName([Number(key)]) : fieldName([key])
        throw errors.validation([{ field, message: tooDeep }])
      }
    }
  }
  const problem = firstTextProblem(body)
  if (!problem) return
  if (problem.malformed) throw errors.invalidJson([problem.detail])
  throw errors.validation([problem.detail])
}

export function parseJson<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T)
}
