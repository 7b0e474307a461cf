import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { templatesDir } from '@onboard/views'
import type { Router } from '../../lib/router'

const read = (name: string) => readFileSync(join(templatesDir, 'signup', 'assets', name), 'utf8')

/**
 * The page's script and styles, served from our origin so the CSP can stay at 'self'. Not
 * under /signup/: a static path beside /signup/:id is more than Hono's RegExpRouter can
 * compile, and the whole app would fall back to the slower TrieRouter.
 */
export function registerSignupAssets(router: Router) {
  const files = {
    'signup.js': { body: read('signup.js'), type: 'text/javascript; charset=utf-8' },
    'signup.css': { body: read('signup.css'), type: 'text/css; charset=utf-8' },
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
