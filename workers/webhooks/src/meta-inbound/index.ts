export { type MetaInboundWorker, startMetaInboundWorker } from './worker'
