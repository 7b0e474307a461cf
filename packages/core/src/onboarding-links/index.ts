export {
  linkActivitySchema,
  MAX_ACTIVITY_PER_LINK,
  recordLinkActivity,
} from './activity'
export { createOnboardingLink } from './create'
export { deleteOnboardingLink } from './delete'
export { raiseExpiredLinkEvents } from './expiry'
export {
  getOnboardingLink,
  linkListFilterSchema,
  listOnboardingLinks,
  searchOnboardingLinks,
} from './read'
export { renewOnboardingLink } from './renew'
export * from './schemas'
export {
  FUNNEL_DAYS,
  getLinkFunnel,
  getLinkTimeline,
} from './timeline'
