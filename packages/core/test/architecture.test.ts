import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '../../..')

/** Where rules, routes and workers live: they call stores in @onboard/db, never build SQL. */
const ruleLayers = ['packages/core/src', 'apps/api/src', 'workers/webhooks/src']

const queryBuilding = [
  /\.selectFrom\(/,
  /\.insertInto\(/,
  /\.updateTable\(/,
  /\.deleteFrom\(/,
  /\.replaceInto\(/,
  /\bsql`/,
  /\bsql\.(raw|ref|join|lit|id|table|val)\(/,
  /\.schema\./,
  /json_extract|json_each|jsonb_/,
]

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return /\.tsx?$/.test(entry.name) ? [path] : []
  })
}

describe('architecture', () => {
  it('builds SQL only in the stores of @onboard/db', () => {
    const offenders = ruleLayers.flatMap((layer) =>
      sourceFiles(join(root, layer)).flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .flatMap((line, index) =>
            queryBuilding.some((pattern) => pattern.test(line))
              ? [`${relative(root, file)}:${index + 1}: ${line.trim()}`]
              : [],
          ),
      ),
    )
    expect(offenders).toEqual([])
  })
})
