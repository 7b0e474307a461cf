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
