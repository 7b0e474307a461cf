import type { AddressInfo } from 'node:net'
import { connect } from 'node:net'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { type Logger, pino } from 'pino'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { waitFor } from '../../../workers/webhooks/test/support/receiver'
import type { AppEnv } from '../src/lib/env'
import { readBody } from '../src/lib/read-body'
import { useTestApi } from './support/fixture'
import { readList } from './support/responses'

interface LogLine {
  level: number
  msg: string
  status?: number
  code?: string
  err?: unknown
  [field: string]: unknown
}

/** The app's pino output, parsed line by line, so tests assert on what an operator sees. */
describe('the request log', () => {
  let lines: LogLine[]
  let logger: Logger
  beforeEach(() => {
    lines = []
    logger = pino(
      { level: 'debug' },
      { write: (line: string) => lines.push(JSON.parse(line) as LogLine) },
    )
  })
  const api = useTestApi({ scope: 'test', customize: (deps) => ({ ...deps, logger }) })

  /** Sends the headers of a JSON POST and half its body, then drops the connection. */
  async function abandonPost(path: string, key: string) {
    const body = JSON.stringify({ name: 'x'.repeat(200) })
    const { port } = new URL(api.url)
    const arrived = api.nextRequest(path)
    const socket = connect(Number(port), '127.0.0.1')
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve)
      socket.once('error', reject)
    })
    socket.write(
      `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${key}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n` +
        body.slice(0, body.length / 2),
    )
    // The client goes once the app has the request (its headers) and is waiting for the body.
    await arrived
    socket.destroy()
  }

  it('logs a client that disconnects mid-body as client_closed_request, without a stack', async () => {
    const { test } = await api.createOrganization()
    await abandonPost('/v1/onboarding-links', test)
    await waitFor('the request line', () => lines.some((line) => line.msg === 'request'), 5000)
    const request = lines.find((line) => line.msg === 'request')
    expect(request).toMatchObject({ path: '/v1/onboarding-links', code: 'client_closed_request' })
    expect(request?.level).toBeLessThanOrEqual(pino.levels.values.warn as number)
    expect(request?.status).not.toBe(500)
    expect(lines.filter((line) => line.level >= (pino.levels.values.error as number))).toEqual([])
    expect(JSON.stringify(lines)).not.toMatch(/\bat .*\.(ts|js):\d+/)
    // Nothing was created from half a request.
    const list = await api.request('/v1/onboarding-links', { key: test })
    expect((await readList(list, 'link')).data).toEqual([])
  })
})

describe('readBody', () => {
  const servers: ReturnType<typeof serve>[] = []
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })

  it('gives up with client_closed_request when the client left before the body was read', async () => {
    // A route that starts reading only once the client has gone, as a request does whose
    // key check was slow: the aborted request emits no 'error' or 'end' to late listeners.
    let settle: (outcome: string) => void = () => {}
    const outcome = new Promise<string>((resolve) => {
      settle = resolve
    })
    let arrived: () => void = () => {}
    const reached = new Promise<void>((resolve) => {
      arrived = resolve
    })
    const app = new Hono<AppEnv>()
    app.post('/late', async (c) => {
      arrived()
      const incoming = c.env.incoming
      if (incoming && !incoming.destroyed) {
        await new Promise((closed) => incoming.once('close', closed))
      }
      const read = readBody(c, 1024, () => new Error('too large'))
      const hung = new Promise((_, reject) => setTimeout(() => reject(new Error('hung')), 2000))
      await Promise.race([read, hung]).then(
        () => settle('read'),
        (error: Error & { code?: string }) => settle(error.code ?? error.message),
      )
      return c.body(null, 204)
    })
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' })
    servers.push(server)
    await new Promise<void>((resolve) => server.once('listening', () => resolve()))
    const socket = connect((server.address() as AddressInfo).port, '127.0.0.1')
    socket.write('POST /late HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"half":')
    // The client goes once the route has the request, before it starts reading the body.
    await reached
    socket.destroy()
    expect(await outcome).toBe('client_closed_request')
  })
})
