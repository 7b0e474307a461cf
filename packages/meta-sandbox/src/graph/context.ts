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
  /**
   * Where Meta's unasked webhooks (a sent message's statuses) go, given the URL of the Graph
   * call that caused them; undefined sends none.
   */
  callbackUrl?: (graphRequestUrl: URL) => URL | undefined
  /** Pause before each status webhook of a sent message. */
  statusDelayMs: number
}
