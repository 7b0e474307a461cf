import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { createMetaSandbox, type MetaSandboxOptions } from './sandbox'
import type { SandboxState } from './state'

export interface StartMetaSandboxOptions extends Omit<MetaSandboxOptions, 'basePath'> {
  /** 0 picks a free port. */
  port: number
  host?: string
}

export interface RunningMetaSandbox {
  /** e.g. `http://127.0.0.1:4010`; the Graph base URL is `${url}/graph`. */
  url: string
  state: SandboxState
  close(): Promise<void>
}

/** Runs the sandbox as its own HTTP server, mounted at the root. */
export function startMetaSandbox(options: StartMetaSandboxOptions): Promise<RunningMetaSandbox> {
  const { port, host = '127.0.0.1', ...sandboxOptions } = options
  const sandbox = createMetaSandbox(sandboxOptions)
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch: sandbox.app.fetch, port, hostname: host },
      (info: AddressInfo) => {
        const urlHost = info.family === 'IPv6' ? `[${info.address}]` : info.address
        resolve({
          url: `http://${urlHost}:${info.port}`,
          state: sandbox.state,
          close: () =>
            new Promise<void>((done, fail) => {
              if ('closeAllConnections' in server) server.closeAllConnections()
              server.close((error) => (error ? fail(error) : done()))
            }),
        })
      },
    )
    server.once('error', reject)
  })
}
