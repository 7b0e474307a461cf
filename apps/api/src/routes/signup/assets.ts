import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { templatesDir } from '@onboard/views'
import type { Router } from '../../lib/router'

const read = (name: string) => readFileSync(join(templatesDir, 'signup', 'assets', name), 'utf8')

/** The page's script and styles, served from our origin so the CSP can stay at 'self'. */
export function registerSignupAssets(router: Router) {
  const files = {
    'signup.js': { body: read('signup.js'), type: 'text/javascript; charset=utf-8' },
    'signup.css': { body: read('signup.css'), type: 'text/css; charset=utf-8' },
  }
  for (const [name, file] of Object.entries(files)) {
    router.get(`/signup/assets/${name}`, (c) => {
      c.header('Content-Type', file.type)
      c.header('Cache-Control', 'public, max-age=300')
      c.header('X-Content-Type-Options', 'nosniff')
      return c.body(file.body)
    })
  }
}
