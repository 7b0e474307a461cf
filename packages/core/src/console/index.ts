export { addressForLimit } from './address'
export {
  claimVerificationSlot,
  hashPassword,
  MAX_CONCURRENT_VERIFICATIONS,
  verifyPassword,
} from './passwords'
export * from './sessions'
export * from './users'
