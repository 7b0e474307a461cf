export { getPhoneHealth, storedSendBlockers } from './health'
export { findPhoneRows, getPhone, listPhones, listPhonesOfWaba, toPhone } from './read'
export * from './schemas'
export { type WebhookHealth, webhookHealth } from './webhook-health'
