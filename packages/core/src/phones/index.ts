export { getPhoneHealth, getStoredPhoneHealth, storedSendBlockers } from './health'
export { findPhoneRows, getPhone, listPhones, listPhonesOfWaba, toPhone } from './read'
export * from './schemas'
