export * from './branding'
export { logoTooLarge, MAX_LOGO_BYTES } from './logo'
export * from './schemas'
