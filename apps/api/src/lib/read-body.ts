import type { IncomingMessage } from 'node:http'
import type { Context } from 'hono'
import type { AppEnv } from './env'
import { clientClosedRequest } from './errors'

/**
 * The request body as bytes, refused with `tooLarge()` beyond `maxBytes` (from the declared
 * Content-Length before reading, or as soon as the stream passes it).
 *
 * Under @hono/node-server the bytes come straight from Node's IncomingMessage: touching
 * `c.req.raw.body` makes the adapter build a full web Request and stream around it, which
 * was the largest single cost of a small JSON POST. Elsewhere (`app.request` in a test) the
 * web body is read. The bytes are not decoded here: see `cacheBodyText`.
 */
export async function readBody(
  c: Context<AppEnv>,
  maxBytes: number,
  tooLarge: () => Error,
): Promise<Buffer> {
  // Not from the socket when something already consumed it: 'end' would never come.
  const incoming = c.env?.incoming?.readableEnded ? undefined : c.env?.incoming
  const declared = Number(c.req.header('content-length'))
  if (declared > maxBytes) throw tooLarge()
  const body = incoming
    ? await readIncoming(incoming, maxBytes, tooLarge)
    : Buffer.from(await c.req.arrayBuffer())
  if (body.length > maxBytes) throw tooLarge()
  return body
}

/**
 * Leaves the body's text in Hono's body cache, decoded once, so the validators'
 * `c.req.json()` reads it from there (Hono derives any other form from a cached text).
 */
export function cacheBodyText(c: Context<AppEnv>, text: string): void {
  const cache = c.req.bodyCache as Record<string, Promise<unknown>>
  cache.text = Promise.resolve(text)
}

function readIncoming(
  incoming: IncomingMessage,
  maxBytes: number,
  tooLarge: () => Error,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // The client went away before we started reading (an aborted request emits no 'error'
    // to late listeners, and no 'end'): waiting would hold the request forever.
    if (incoming.destroyed) {
      reject(clientClosedRequest())
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    const cleanUp = () => {
      incoming.off('data', onData)
      incoming.off('end', onEnd)
      incoming.off('error', onError)
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBytes) {
        cleanUp()
        // The rest is discarded, so the connection can still carry the 413.
        incoming.resume()
        reject(tooLarge())
        return
      }
      chunks.push(chunk)
    }
    const onEnd = () => {
      cleanUp()
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size))
    }
    const onError = (error: NodeJS.ErrnoException) => {
      cleanUp()
      // Node's "aborted": the client closed the connection mid-body.
      reject(error.code === 'ECONNRESET' ? clientClosedRequest() : error)
    }
    incoming.on('data', onData)
    incoming.on('end', onEnd)
    incoming.on('error', onError)
  })
}
