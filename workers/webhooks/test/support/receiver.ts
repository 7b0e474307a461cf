import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ReceivedRequest {
  webhookId: string
  timestamp: string
  signature: string
  headers: Record<string, string>
  body: string
  /** The status this receiver answered with. */
  status: number
  /** Whether the answer was written to a client still connected (false while delayed). */
  answered: boolean
}

export interface Reply {
  status: number
  headers?: Record<string, string>
  body?: string
  /** Wait this long before answering (to keep a delivery in flight). */
  delayMs?: number
}

export interface Receiver {
  url: string
  requests: ReceivedRequest[]
  close: () => Promise<void>
}

/** A real HTTP receiver on 127.0.0.1 that records every request and answers as told. */
export async function startReceiver(
  reply: (request: ReceivedRequest, index: number) => Reply = () => ({ status: 200 }),
): Promise<Receiver> {
  const requests: ReceivedRequest[] = []
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([name, value]) => [name, String(value)]),
      )
      const received: ReceivedRequest = {
        webhookId: headers['webhook-id'] ?? '',
        timestamp: headers['webhook-timestamp'] ?? '',
        signature: headers['webhook-signature'] ?? '',
        headers,
        body: Buffer.concat(chunks).toString('utf8'),
        status: 0,
        answered: false,
      }
      const answer = reply(received, requests.length)
      received.status = answer.status
      requests.push(received)
      const send = () => {
        if (res.destroyed) return
        res.writeHead(answer.status, answer.headers).end(answer.body ?? '', () => {
          received.answered = true
        })
      }
      if (answer.delayMs) setTimeout(send, answer.delayMs)
      else send()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`,
    requests,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

// The bounded waits every test shares (defined once, beside the queue's tests).
export { settlesWithin, waitFor } from '../../../../packages/queue/test/support/wait'
