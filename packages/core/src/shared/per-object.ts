/**
 * One value per object (a database handle, an encryption key), made on first use and
 * dropped with the object: a process-wide cache or batcher of which every test database
 * gets its own.
 */
export function perObject<K extends object, V>(make: (key: K) => V): (key: K) => V {
  const values = new WeakMap<K, V>()
  return (key) => {
    let value = values.get(key)
    if (value === undefined) {
      value = make(key)
      values.set(key, value)
    }
    return value
  }
}
