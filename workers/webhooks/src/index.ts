export { loadWorkerSettings } from './settings'
export { startWebhookWorker, type WebhookWorker } from './worker'
