export type { SettledAttempt } from './attempt-plan'
export {
  getDelivery,
  listDeliveries,
  retryDelivery,
} from './delivery-history'
export { failDeliveryOfDisabledEndpoint } from './disabled-endpoint'
export {
  createOutgoingWebhook,
  deleteOutgoingWebhook,
  getOutgoingWebhook,
  listOutgoingWebhooks,
  updateOutgoingWebhook,
} from './endpoints'
export { createOutgoingWebhookForLink } from './from-link'
export { loadDeliveryWork, loadDeliveryWorks } from './load-work'
export { findOverdueDeliveries, type OverdueDelivery } from './overdue-deliveries'
export { type AttemptToSettle, settleAttempt, settleAttempts } from './record-attempts'
export { PREVIOUS_SECRET_GRACE_SECONDS, rotateOutgoingWebhookSecret } from './rotate'
export * from './schemas'
export { sendTestEvent } from './test-event'
