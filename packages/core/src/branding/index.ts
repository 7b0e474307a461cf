export * from './branding'
export { MINIMUM_CONTRAST, whiteTextContrast } from './contrast'
export { logoTooLarge, MAX_LOGO_BYTES } from './logo'
export * from './schemas'
