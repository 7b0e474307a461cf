export {
  getDelivery,
  listDeliveries,
  retryDelivery,
} from './deliveries'
export {
  type AttemptToSettle,
  failDeliveryOfDisabledEndpoint,
  findOverdueDeliveries,
  loadDeliveryWork,
  loadDeliveryWorks,
  type OverdueDelivery,
  type SettledAttempt,
  settleAttempt,
  settleAttempts,
} from './delivery-work'
export {
  createOutgoingWebhook,
  deleteOutgoingWebhook,
  getOutgoingWebhook,
  listOutgoingWebhooks,
  updateOutgoingWebhook,
} from './endpoints'
export { createOutgoingWebhookForLink } from './from-link'
export { rotateOutgoingWebhookSecret } from './rotate'
export * from './schemas'
export { sendTestEvent } from './test-event'
