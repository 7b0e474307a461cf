export { hashPassword, verifyPassword } from './passwords'
export * from './sessions'
export * from './users'
