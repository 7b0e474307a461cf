export { createReceiptProcessor, type ProcessReceipt } from './processor'
export { type SweeperOptions, startSweeper, sweepOnce } from './sweeper'
export { type MetaInboundWorker, startMetaInboundWorker } from './worker'
