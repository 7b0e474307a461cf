import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest'
import {
  type ReceivedRequest,
  type Receiver,
  type Reply,
  startReceiver,
} from '../../../../workers/webhooks/test/support/receiver'
import { type StartOptions, startTestApi, type TestApi } from './harness'
import { startTestWorkers } from './workers'

/** An organisation made for a test: its id and its test and live keys. */
export interface TestOrganization {
  id: string
  test: string
  live: string
}

/**
 * `suite`: one per `describe` (or file), made before its first test and closed after its last;
 * `test`: a fresh one for every test.
 */
export type FixtureScope = 'suite' | 'test'

/**
 * A stand-in for a value the hooks fill in later: reading it before its hook ran (at import
 * time, in a `describe` body) fails with a message naming it, instead of reading `undefined`.
 */
function lateBound<T extends object>(what: string): { handle: T; set: (value?: T) => void } {
  let current: T | undefined
  const target = (): T => {
    if (current === undefined) {
      throw new Error(`${what} is read outside a test: it exists from its beforeAll/beforeEach on`)
    }
    return current
  }
  const handle = new Proxy({} as T, {
    get: (_, property) => Reflect.get(target(), property),
    has: (_, property) => Reflect.has(target(), property),
    ownKeys: () => Reflect.ownKeys(target()),
    getOwnPropertyDescriptor: (_, property) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(target(), property)
      // The stand-in is an empty extensible object, so a proxied property must be configurable.
      return descriptor && { ...descriptor, configurable: true }
    },
  })
  return { handle, set: (value) => (current = value) }
}

function hooks(scope: FixtureScope) {
  return scope === 'test'
    ? { before: beforeEach, after: afterEach }
    : { before: beforeAll, after: afterAll }
}

/**
 * The test API (`startTestApi`: the real app on a socket over a fresh database and the real
 * Redis), started and closed by hooks registered where this is called. The returned handle
 * reads as the running TestApi inside tests and hooks registered after this call.
 */
export function useTestApi(options: StartOptions & { scope?: FixtureScope } = {}): TestApi {
  const { scope = 'suite', ...start } = options
  const api = lateBound<TestApi>('the test API')
  let running: TestApi | undefined
  const { before, after } = hooks(scope)
  before(async () => {
    running = await startTestApi(start)
    api.set(running)
  })
  after(async () => {
    await running?.close()
    running = undefined
    api.set(undefined)
  })
  return api.handle
}

/** A new organisation on `api` for the suite or for each test (after the API's own hook). */
export function useOrganization(
  api: TestApi,
  options: { name?: string; scope?: FixtureScope } = {},
): TestOrganization {
  const org = lateBound<TestOrganization>('the test organisation')
  hooks(options.scope ?? 'suite').before(async () => {
    org.set(await api.createOrganization(options.name))
  })
  return org.handle
}

/** The worker's processors beside `api` (startTestWorkers), for the suite or for each test. */
export function useTestWorkers(api: TestApi, options: { scope?: FixtureScope } = {}): void {
  let workers: { close: () => Promise<void> } | undefined
  const { before, after } = hooks(options.scope ?? 'suite')
  before(() => {
    workers = startTestWorkers(api)
  })
  after(async () => {
    await workers?.close()
    workers = undefined
  })
}

/**
 * A customer's webhook receiver (startReceiver: real HTTP on 127.0.0.1, recording each
 * request), answering as `reply` says, for the suite or for each test.
 */
export function useReceiver(
  reply?: (request: ReceivedRequest, index: number) => Reply,
  options: { scope?: FixtureScope } = {},
): Receiver {
  const receiver = lateBound<Receiver>('the receiver')
  let running: Receiver | undefined
  const { before, after } = hooks(options.scope ?? 'suite')
  before(async () => {
    running = await startReceiver(reply)
    receiver.set(running)
  })
  after(async () => {
    await running?.close()
    running = undefined
    receiver.set(undefined)
  })
  return receiver.handle
}
