import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { useOrganization, useTestApi } from './support/fixture'
import { createOwnedObjects } from './support/owned'
import { readError, readJson } from './support/responses'
import {
  fillPath,
  type OwnedObjects,
  registeredV1Routes,
  routeName,
  successSchema,
  V1_ROUTES,
} from './support/routes'

const testDir = fileURLToPath(new URL('.', import.meta.url))

/**
 * The happy and error halves of every /v1 route's trio (v1.security.test.ts is the third):
 * each GET answers its owner with the body its OpenAPI schema documents, each route with an
 * input to refuse refuses it with a 400 naming the field, and each route names the test file
 * holding its happy path, which must exist and exercise that path.
 */
describe('every /v1 route: documented answers and refusals', () => {
  const api = useTestApi()
  const owner = useOrganization(api)
  let owned: OwnedObjects
  beforeAll(async () => {
    owned = await createOwnedObjects(api, owner)
  })
  const ownPath = (path: string) =>
    fillPath(
      V1_ROUTES.find((route) => route.path === path) ?? { method: 'GET', path, happy: '' },
      (object) => owned[object],
    )

  it('has an entry, and so a trio, for every route the app registers', () => {
    const listed = new Set(V1_ROUTES.map(routeName))
    const missing = registeredV1Routes(api)
      .map(routeName)
      .filter((name) => !listed.has(name))
    expect(missing, 'routes without an entry in support/routes.ts').toEqual([])
  })

  it.each(V1_ROUTES.map((route) => [routeName(route), route] as const))(
    '%s: its happy-path file exists and calls the route',
    (_name, route) => {
      const file = `${testDir}${route.happy}`
      expect(existsSync(file), route.happy).toBe(true)
      // The file and the support modules it imports (where path constants such as SESSIONS live).
      const own = readFileSync(file, 'utf8')
      const imported = [...own.matchAll(/from '\.\/(support\/[\w-]+)'/g)].map((match) =>
        readFileSync(`${testDir}${match[1]}.ts`, 'utf8'),
      )
      const source = [own, ...imported].join('\n')
      // Each static segment after /v1 appears there (as a literal or in a template).
      for (const segment of route.path.split('/').slice(2)) {
        if (!segment.startsWith('{'))
          expect(source, `${route.happy} names ${segment}`).toContain(segment)
      }
    },
  )

  it.each(
    V1_ROUTES.filter((route) => route.method === 'GET').map(
      (route) => [routeName(route), route] as const,
    ),
  )('%s answers its owner 200 with the documented body', async (name, route) => {
    const registered = registeredV1Routes(api).find((r) => routeName(r) === name)
    const schema = registered && successSchema(registered)
    expect(schema, `${name} documents a JSON success body`).toBeDefined()
    if (!schema) return
    const res = await api.request(ownPath(route.path), { key: owner.test })
    expect(res.status).toBe(200)
    await readJson(res, schema)
  })

  it.each(
    V1_ROUTES.filter((route) => route.invalid).map((route) => [routeName(route), route] as const),
  )('%s refuses a bad input with 400 naming the field', async (_name, route) => {
    const invalid = route.invalid
    if (!invalid) return
    const path = ownPath(route.path) + (invalid.query ? `?${invalid.query}` : '')
    const res = await api.request(path, {
      method: route.method,
      key: owner.test,
      ...(invalid.body !== undefined ? { json: invalid.body } : {}),
    })
    const error = await readError(res, 400)
    expect(error.code).toBe('validation_error')
    expect(JSON.stringify(error)).toContain(invalid.field)
  })
})
