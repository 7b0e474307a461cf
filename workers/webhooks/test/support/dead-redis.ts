import { createServer, type Socket } from 'node:net'

export interface DeadRedis {
  url: string
  /** Connections attempted so far: each is one failed (re)connect of a client. */
  attempts: () => number
  close: () => Promise<void>
}

/**
 * A port where Redis is down but attempts are seen: every connection is reset at once (the
 * client gets ECONNRESET, as from a server gone), and counted, so a test can wait for a
 * client's further reconnect attempts instead of sleeping while they happen.
 */
export async function listenAsDeadRedis(port = 0): Promise<DeadRedis> {
  let attempts = 0
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    attempts++
    socket.on('error', () => undefined)
    socket.resetAndDestroy()
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return {
    url: `redis://127.0.0.1:${address.port}`,
    attempts: () => attempts,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
