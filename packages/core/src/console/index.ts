export {
  claimVerificationSlot,
  MAX_CONCURRENT_VERIFICATIONS,
} from '../passwords'
export { addressForLimit } from './address'
export * from './sessions'
export * from './users'
