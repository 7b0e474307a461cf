export {
  getDelivery,
  listDeliveries,
  type RetryRequested,
  retryDelivery,
} from './deliveries'
export {
  type AttemptToSettle,
  type DeliveryPolicy,
  type DeliveryWork,
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
  findOutgoingWebhookRow,
  getOutgoingWebhook,
  listOutgoingWebhooks,
  updateOutgoingWebhook,
} from './endpoints'
export { createOutgoingWebhookForLink, type LinkWebhookSettings } from './from-link'
export { PREVIOUS_SECRET_GRACE_SECONDS, rotateOutgoingWebhookSecret } from './rotate'
export * from './schemas'
export { assertWebhookTargetAllowed, type WebhookTargetPolicy } from './targets'
export { sendTestEvent } from './test-event'
