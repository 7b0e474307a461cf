export {
  getDelivery,
  listDeliveries,
  retryDelivery,
} from './delivery-history'
export {
  createOutgoingWebhook,
  deleteOutgoingWebhook,
  getOutgoingWebhook,
  listOutgoingWebhooks,
  updateOutgoingWebhook,
} from './endpoints'
export { createOutgoingWebhookForLink } from './from-link'
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
} from './record-attempts'
export { rotateOutgoingWebhookSecret } from './rotate'
export * from './schemas'
export { sendTestEvent } from './test-event'
