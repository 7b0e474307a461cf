import type { Mode } from '../schema'

/** The organisation and mode a customer row belongs to; every customer query filters on both. */
export interface Scope {
  organizationId: string
  mode: Mode
}

/** One page of a list, newest first. */
export interface Page {
  limit: number
  offset: number
}

/** A page of rows and the exact total of the list it comes from. */
export interface PageOf<Row> {
  rows: Row[]
  total: number
}
