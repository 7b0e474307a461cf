export {
  linkActivitySchema,
  MAX_ACTIVITY_PER_LINK,
  recordLinkActivity,
} from './activity'
export { createOnboardingLink } from './create'
export { deleteOnboardingLink } from './delete'
export {
  getOnboardingLink,
  linkListFilterSchema,
  listOnboardingLinks,
  searchOnboardingLinks,
} from './read'
export * from './schemas'
export {
  FUNNEL_DAYS,
  getLinkFunnel,
  getLinkTimeline,
} from './timeline'
