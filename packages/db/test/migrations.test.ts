import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { createDb, migrateToLatest, migrations } from '../src/index'

describe('migrations', () => {
  it('lists every migration file in the static map', () => {
    const dir = fileURLToPath(new URL('../src/migrations', import.meta.url))
    const files = readdirSync(dir)
      .filter((f) => f !== 'index.ts' && f.endsWith('.ts'))
      .map((f) => f.replace(/\.ts$/, ''))
    expect(Object.keys(migrations).sort()).toEqual(files.sort())
  })

  it('migrates an empty database and is a no-op the second time', async () => {
    const { db } = createDb({ filename: ':memory:' })
    const first = await migrateToLatest(db)
    expect(first.results?.every((r) => r.status === 'Success')).toBe(true)
    const second = await migrateToLatest(db)
    expect(second.results).toEqual([])
    const tables = await db.introspection.getTables()
    expect(tables.map((t) => t.name)).toContain('onboarding_links')
    await db.destroy()
  })

  it('opens files in WAL mode with foreign keys on', async () => {
    const { mkdtempSync } = await import('node:fs')
    const { tmpdir } = await import('node:os')
    const { join } = await import('node:path')
    const dir = mkdtempSync(join(tmpdir(), 'db-test-'))
    const { db, sqlite } = createDb({ filename: join(dir, 'x.db') })
    expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1)
    await db.destroy()
  })
})
