import { errors } from '../errors'

const KEY = /^[A-Za-z0-9_-]{1,64}$/
const PARAM = /^metadata\[(.*)\]$/
const MAX_FILTERS = 5
const MAX_VALUE_LENGTH = 512

/**
 * `?metadata[externalUserId]=user_123` → `{ externalUserId: 'user_123' }`. Keys are checked
 * against a strict pattern because the sessions store makes each a JSON path (`$."key"`);
 * together with binding that path as a parameter, nothing from the URL reaches the SQL text.
 */
export function metadataFiltersOf(params: URLSearchParams): Record<string, string> {
  const filters: Record<string, string> = {}
  for (const [name, value] of params) {
    const match = PARAM.exec(name)
    if (!match) continue
    const key = match[1] ?? ''
    const field = `metadata[${key}]`
    if (!KEY.test(key)) {
      throw errors.validation([
        { field, message: 'the key must be 1-64 letters, digits, underscores or hyphens' },
      ])
    }
    if (value.length > MAX_VALUE_LENGTH) {
      throw errors.validation([
        { field, message: `must be at most ${MAX_VALUE_LENGTH} characters` },
      ])
    }
    if (key in filters) {
      throw errors.validation([{ field, message: 'is given more than once' }])
    }
    filters[key] = value
  }
  if (Object.keys(filters).length > MAX_FILTERS) {
    throw errors.validation([
      { field: 'metadata', message: `at most ${MAX_FILTERS} metadata filters are allowed` },
    ])
  }
  return filters
}
