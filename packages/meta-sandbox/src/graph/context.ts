import type { SandboxState } from '../state'

/** What every Graph handler needs to know about the sandbox it runs in. */
export interface GraphContext {
  state: SandboxState
  appId: string
  appSecret: string
  appName: string
  now: () => number
}
