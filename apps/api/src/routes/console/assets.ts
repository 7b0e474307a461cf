import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { templatesDir } from '@onboard/views'
import type { Router } from '../../lib/router'

const read = (name: string) => readFileSync(join(templatesDir, 'console', 'assets', name), 'utf8')

/** The console's stylesheet and script, from our origin (the CSP allows nothing else). */
export function registerConsoleAssets(router: Router) {
  const files = {
    'console.js': { body: read('console.js'), type: 'text/javascript; charset=utf-8' },
    'console.css': { body: read('console.css'), type: 'text/css; charset=utf-8' },
  }
  for (const [name, file] of Object.entries(files)) {
    router.get(`/assets/${name}`, (c) => {
      c.header('Content-Type', file.type)
      c.header('Cache-Control', 'public, max-age=300')
      c.header('X-Content-Type-Options', 'nosniff')
      return c.body(file.body)
    })
  }
}
