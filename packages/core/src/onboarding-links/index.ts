export {
  type LinkActivityInput,
  linkActivitySchema,
  MAX_ACTIVITY_PER_LINK,
  recordLinkActivity,
} from './activity'
export { createOnboardingLink, type LinkCreationRules } from './create'
export { deleteOnboardingLink } from './delete'
export {
  findOnboardingLinkRow,
  getOnboardingLink,
  type LinkListFilter,
  linkListFilterSchema,
  listOnboardingLinks,
  searchOnboardingLinks,
  serializeLinks,
} from './read'
export * from './schemas'
export { effectiveStatus, hostedUrlOf, toOnboardingLink } from './serialize'
export {
  FUNNEL_DAYS,
  getLinkFunnel,
  getLinkTimeline,
  type MetaResult,
  type TimelineEntry,
} from './timeline'
