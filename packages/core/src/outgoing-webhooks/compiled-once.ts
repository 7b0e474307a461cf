import type { Compilable, CompiledQuery, Kysely } from 'kysely'

/**
 * Queries the worker runs for every delivery, built and compiled by Kysely once and then
 * executed with new parameters (`db.executeQuery`). Building and compiling a query costs
 * more than SQLite running it; the SQL text stays the same, so the prepared statement is
 * reused too.
 *
 * A query is written with the query builder as usual, with `slot('name')` where a value
 * goes. After compiling, each slot must be one bound parameter: `bind({ name: value })`
 * puts the values in their places.
 */
const SLOT_PREFIX = '\u0000slot:'

/** A named stand-in for a value, typed as whatever the builder expects there. */
export function slot<T>(name: string): T {
  return `${SLOT_PREFIX}${name}` as unknown as T
}

export type Bind<Row, Slots extends string> = (values: Record<Slots, unknown>) => CompiledQuery<Row>

/** Compiles `build(db)` once per database and returns a binder for its slots. */
export function compiledOnce<Row, Slots extends string>(
  slots: readonly Slots[],
  // biome-ignore lint/suspicious/noExplicitAny: any database schema; the builder is typed by the caller
  build: (db: Kysely<any>) => Compilable<Row>,
  // biome-ignore lint/suspicious/noExplicitAny: any database schema
): (db: Kysely<any>) => Bind<Row, Slots> {
  // biome-ignore lint/suspicious/noExplicitAny: keyed by the Kysely instance only
  const byDb = new WeakMap<Kysely<any>, Bind<Row, Slots>>()
  return (db) => {
    let bind = byDb.get(db)
    if (!bind) {
      bind = bindSlots(build(db).compile(), slots)
      byDb.set(db, bind)
    }
    return bind
  }
}

function bindSlots<Row, Slots extends string>(
  compiled: CompiledQuery<Row>,
  slots: readonly Slots[],
): Bind<Row, Slots> {
  type Place = { slot: Slots } | { value: unknown }
  const places = compiled.parameters.map(
    (parameter): Place =>
      typeof parameter === 'string' && parameter.startsWith(SLOT_PREFIX)
        ? { slot: parameter.slice(SLOT_PREFIX.length) as Slots }
        : { value: parameter },
  )
  const found = places.flatMap((place) => ('slot' in place ? [place.slot] : []))
  for (const name of slots) {
    if (!found.includes(name))
      throw new Error(`slot ${name} is not a parameter of: ${compiled.sql}`)
  }
  for (const name of found) {
    if (!slots.includes(name)) throw new Error(`slot ${name} was not declared`)
  }
  return (values) => ({
    ...compiled,
    parameters: places.map((place) => ('slot' in place ? values[place.slot] : place.value)),
  })
}
