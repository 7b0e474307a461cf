import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createWebhookAgent, postWebhook } from '../src/index'

describe('postWebhook', () => {
  let server: Server
  let url: string
  let handle: (req: IncomingMessage, res: ServerResponse) => void
  const agent = createWebhookAgent({ timeoutMs: 500, allowPrivateTargets: true })
  beforeEach(async () => {
    server = createServer((req, res) => handle(req, res))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook?x=1`
  })
  afterEach(async () => {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })

  const send = () =>
    postWebhook(agent, {
      url,
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
      timeoutMs: 500,
    })

  it('posts the body with the headers to the path and query', async () => {
    let seen = { method: '', url: '', body: '', type: '' }
    handle = (req, res) => {
      let body = ''
      req.on('data', (c) => (body += c))
      req.on('end', () => {
        seen = {
          method: req.method ?? '',
          url: req.url ?? '',
          body,
          type: req.headers['content-type'] ?? '',
        }
        res.writeHead(204).end()
      })
    }
    const result = await send()
    expect(result).toMatchObject({ ok: true, httpStatus: 204, responseBody: null, error: null })
    expect(seen).toEqual({
      method: 'POST',
      url: '/hook?x=1',
      body: '{"a":1}',
      type: 'application/json',
    })
  })

  it('keeps only the first 1 KB of the response body', async () => {
    handle = (_req, res) => res.writeHead(500).end('x'.repeat(5000))
    const result = await send()
    expect(result.httpStatus).toBe(500)
    expect(result.responseBody).toHaveLength(1024)
    expect(result.error).toBe('HTTP 500')
  })

  it('answers with the status of a huge body without reading it all, and the next request still works', async () => {
    handle = (_req, res) => {
      res.writeHead(200)
      // Far more than is ever read (64 KB), sent in chunks as a streaming receiver would.
      const chunk = 'y'.repeat(16 * 1024)
      let sent = 0
      const more = () => {
        while (sent < 1024 * 1024) {
          sent += chunk.length
          if (!res.write(chunk)) return void res.once('drain', more)
        }
        res.end()
      }
      more()
    }
    const result = await send()
    expect(result).toMatchObject({ ok: true, httpStatus: 200, error: null })
    expect(result.responseBody).toBe('y'.repeat(1024))
    handle = (_req, res) => res.writeHead(204).end()
    expect(await send()).toMatchObject({ ok: true, httpStatus: 204 })
  })

  it('times out a receiver that sends its headers but never finishes the body', async () => {
    handle = (_req, res) => {
      res.writeHead(200)
      res.write('partial')
    }
    const result = await send()
    expect(result).toMatchObject({ ok: false, httpStatus: null, responseBody: null })
    expect(result.error).toMatch(/timeout/)
  })

  it('does not follow redirects', async () => {
    handle = (_req, res) => res.writeHead(302, { location: 'http://127.0.0.1:1/' }).end()
    const result = await send()
    expect(result).toMatchObject({ ok: false, httpStatus: 302 })
    expect(result.error).toMatch(/redirects are not followed/)
  })

  it('reads Retry-After', async () => {
    handle = (_req, res) => res.writeHead(429, { 'retry-after': '7' }).end()
    expect((await send()).retryAfterMs).toBe(7000)
  })

  it('times out a receiver that never answers', async () => {
    handle = () => undefined
    const result = await send()
    expect(result).toMatchObject({ ok: false, httpStatus: null, permanent: false })
    expect(result.error).toMatch(/timeout/)
  })

  it('reports a refused connection', async () => {
    const result = await postWebhook(agent, {
      url: 'http://127.0.0.1:1/',
      headers: {},
      body: '{}',
      timeoutMs: 500,
    })
    expect(result).toMatchObject({ ok: false, httpStatus: null, permanent: false })
    expect(result.error).toMatch(/ECONNREFUSED/)
  })
})
