export { businessProfileIdOf, wabaIdOfBusinessProfile } from './ids'
export { getBusinessProfile, getBusinessProfileOfWaba } from './read'
export * from './schemas'
