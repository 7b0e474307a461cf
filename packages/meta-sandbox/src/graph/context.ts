import type { SandboxState } from '../state'

/** What every Graph handler needs to know about the sandbox it runs in. */
export interface GraphContext {
  state: SandboxState
  appId: string
  appSecret: string
  /** The platform's system-user token, if this sandbox has one (see MetaSandboxOptions). */
  systemUserToken: string | undefined
  appName: string
  now: () => number
}
