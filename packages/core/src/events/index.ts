export { recordEvent } from './record'
