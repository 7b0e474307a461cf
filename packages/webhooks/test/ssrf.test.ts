import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createWebhookAgent, isBlockedAddress, isBlockedHost, postWebhook } from '../src/index'

describe('SSRF guard', () => {
  it('blocks private, loopback, link-local, CGNAT, metadata and special ranges', () => {
    const blocked = [
      '127.0.0.1',
      '127.1.2.3',
      '0.0.0.0',
      '10.0.0.1',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '100.100.100.200',
      '192.0.0.192',
      '198.18.0.1',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:10.0.0.1',
      '::ffff:0:127.0.0.1', // IPv4-translated (::ffff:0:0:0/96): reaches IPv4 through SIIT
      '::ffff:0:7f00:1',
      '::ffff:0:a9fe:a9fe',
      'fe80::1',
      'fc00::1',
      'fd00:ec2::254',
      '64:ff9b::a00:1',
      '2002:7f00:1::',
      'ff02::1',
      '2001:db8::1',
    ]
    for (const address of blocked) expect(isBlockedAddress(address), address).toBe(true)
    const allowed = ['93.184.216.34', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700::1111']
    for (const address of allowed) expect(isBlockedAddress(address), address).toBe(false)
  })

  it('blocks localhost names (RFC 6761: they always mean loopback) in any case, with trailing dots', () => {
    const blocked = [
      'localhost',
      'LOCALHOST',
      'localhost.',
      'LocalHost..',
      'foo.localhost',
      'a.b.LOCALHOST.',
      '127.0.0.1',
      '::ffff:0:7f00:1',
    ]
    for (const host of blocked) expect(isBlockedHost(host), host).toBe(true)
    const allowed = [
      'example.com',
      'localhost.example.com',
      'notlocalhost',
      'xlocalhost',
      '8.8.8.8',
    ]
    for (const host of allowed) expect(isBlockedHost(host), host).toBe(false)
  })
})

describe('delivering through the guarded agent', () => {
  let server: Server | undefined
  let hits = 0
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
    server = undefined
    hits = 0
  })

  async function listen(host: string): Promise<number> {
    const created = createServer((_req, res) => {
      hits++
      res.end('ok')
    })
    server = created
    await new Promise<void>((resolve) => created.listen(0, host, resolve))
    return (created.address() as AddressInfo).port
  }

  const send = (agent: ReturnType<typeof createWebhookAgent>, url: string) =>
    postWebhook(agent, {
      url,
      headers: { 'content-type': 'application/json' },
      body: '{}',
      timeoutMs: 3000,
    })

  it('refuses loopback, private, metadata and names resolving to them, without connecting', async () => {
    const port = await listen('127.0.0.1')
    const agent = createWebhookAgent({ timeoutMs: 3000, allowPrivateTargets: false })
    try {
      for (const url of [
        `http://127.0.0.1:${port}/hook`,
        `http://localhost:${port}/hook`,
        `http://LOCALHOST.:${port}/hook`,
        `http://foo.localhost:${port}/hook`,
        `http://[::1]:${port}/hook`,
        `http://[::ffff:0:127.0.0.1]:${port}/hook`,
        'https://10.0.0.1/hook',
        'https://169.254.169.254/latest/meta-data/',
        `http://2130706433:${port}/hook`,
      ]) {
        const result = await send(agent, url)
        expect(result, url).toMatchObject({ ok: false, httpStatus: null, permanent: true })
        expect(result.error, url).toMatch(/^blocked: /)
      }
      expect(hits).toBe(0)
    } finally {
      await agent.close()
    }
  })

  it('reaches a local receiver when private targets are allowed', async () => {
    const port = await listen('127.0.0.1')
    const agent = createWebhookAgent({ timeoutMs: 3000, allowPrivateTargets: true })
    try {
      const result = await send(agent, `http://localhost:${port}/hook`)
      expect(result).toMatchObject({ ok: true, httpStatus: 200, responseBody: 'ok', error: null })
      expect(hits).toBe(1)
    } finally {
      await agent.close()
    }
  })
})
