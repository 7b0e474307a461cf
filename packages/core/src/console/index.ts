export {
  claimVerificationSlot,
  hashPassword,
  MAX_CONCURRENT_VERIFICATIONS,
  verifyPassword,
} from '../passwords'
export { addressForLimit } from './address'
export * from './sessions'
export * from './users'
