export { getMessage, listMessages } from './read'
export * from './schemas'
export { sendMessage } from './send'
export { listTemplates } from './templates'
