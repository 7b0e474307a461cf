export {
  insertEventWithDeliveries,
  type RecordEventInput,
  type RecordedEvent,
  recordEvent,
} from './record'
