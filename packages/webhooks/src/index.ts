export { EVENT_TYPES, type EventType, isEventType } from './catalog'
