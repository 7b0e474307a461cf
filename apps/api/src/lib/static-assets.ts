import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { templatesDir } from '@onboard/views'
import type { Router } from './router'

const TYPES = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' } as const

/**
 * Serves a page family's script and stylesheet (views/templates/<folder>/assets) at
 * /assets/<name>, from our origin, so the CSP can stay at 'self'. Read once at start-up.
 * Not under the family's own path: a static path beside /signup/:id or /console/links/:id is
 * more than Hono's RegExpRouter can compile, and the whole app would fall back to the slower
 * TrieRouter.
 */
export function registerStaticAssets(router: Router, folder: string, names: readonly string[]) {
  for (const name of names) {
    const body = readFileSync(join(templatesDir, folder, 'assets', name), 'utf8')
    const type = TYPES[name.endsWith('.css') ? 'css' : 'js']
    router.get(`/assets/${name}`, (c) => {
      c.header('Content-Type', type)
      c.header('Cache-Control', 'public, max-age=300')
      c.header('X-Content-Type-Options', 'nosniff')
      return c.body(body)
    })
  }
}
