import type { AppDeps } from '../../lib/env'
import type { Router } from '../../lib/router'
import { registerGetPhone } from './get'
import { registerGetPhoneHealth } from './health'
import { registerListPhones } from './list'
import { registerListMessages } from './list-messages'
import { registerSendMessage } from './send-message'
import { registerListTemplates } from './templates'

export function registerPhoneRoutes(router: Router, deps: AppDeps) {
  registerListPhones(router, deps)
  registerGetPhone(router, deps)
  registerGetPhoneHealth(router, deps)
  registerSendMessage(router, deps)
  registerListMessages(router, deps)
  registerListTemplates(router, deps)
}
