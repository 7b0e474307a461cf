import type { Migration } from 'kysely'
import * as foundation from './0001_foundation'

/**
 * Every migration, by name, imported statically so none can sit in the folder unrun.
 * A test checks that each file in this folder appears here. Names sort in run order.
 */
export const migrations: Record<string, Migration> = {
  '0001_foundation': foundation,
}
