export { createDeliverer, type Deliver, type DeliverOutcome } from './deliver'
export { relayOnce, startRelay } from './relay'
export { loadWorkerSettings, type WorkerSettings } from './settings'
export { startWebhookWorker, type WebhookWorker } from './worker'
