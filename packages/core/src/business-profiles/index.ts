export { businessProfileIdOf, wabaIdOfBusinessProfile } from './ids'
export * from './schemas'
