export { createOnboardingLink } from './create'
export { deleteOnboardingLink } from './delete'
export { getOnboardingLink, listOnboardingLinks } from './read'
export * from './schemas'
