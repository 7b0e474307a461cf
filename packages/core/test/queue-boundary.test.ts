import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const CORE = fileURLToPath(new URL('..', import.meta.url))
const QUEUE_PACKAGES = ['@onboard/queue', 'bullmq', 'ioredis']

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  )
}

/** Core reaches the queue only through its WorkQueue port; the process wires BullMQ in. */
describe('packages/core and the queue', () => {
  it('does not depend on @onboard/queue, bullmq or ioredis', () => {
    const manifest = JSON.parse(readFileSync(join(CORE, 'package.json'), 'utf8'))
    const dependencies = Object.keys({
      ...manifest.dependencies,
      ...manifest.devDependencies,
      ...manifest.peerDependencies,
    })
    expect(dependencies.filter((name) => QUEUE_PACKAGES.includes(name))).toEqual([])
  })

  it('imports none of them', () => {
    const importer = /(?:from\s+|import\s+|import\s*\(\s*|require\s*\(\s*)['"]([^'"]+)['"]/g
    const offending = sourceFiles(join(CORE, 'src')).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(importer)]
        .map((match) => match[1] as string)
        .filter((name) => QUEUE_PACKAGES.some((pkg) => name === pkg || name.startsWith(`${pkg}/`)))
        .map((name) => `${file.slice(CORE.length)}: ${name}`),
    )
    expect(offending).toEqual([])
  })
})
