import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { templatesDir } from '@onboard/views'
import type { Router } from './router'

const TYPES = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' } as const

/**
 * Serves one file of a page family (views/templates/<folder>/assets/<name>) at `path`, from
 * our origin, so the CSP can stay at 'self'. Read once at start-up. `crossOrigin` marks a
 * script other sites load (embed.js): readable with `crossorigin` / SRI and under COEP.
 */
function registerStaticAsset(
  router: Router,
  path: string,
  file: { folder: string; name: string; crossOrigin?: boolean },
) {
  const body = readFileSync(join(templatesDir, file.folder, 'assets', file.name), 'utf8')
  const type = TYPES[file.name.endsWith('.css') ? 'css' : 'js']
  router.get(path, (c) => {
    c.header('Content-Type', type)
    c.header('Cache-Control', 'public, max-age=300')
    c.header('X-Content-Type-Options', 'nosniff')
    if (file.crossOrigin) {
      c.header('Access-Control-Allow-Origin', '*')
      c.header('Cross-Origin-Resource-Policy', 'cross-origin')
    }
    return c.body(body)
  })
}

/**
 * A page family's script and stylesheet at /assets/<name>. Not under the family's own path:
 * a static path beside /signup/:id or /console/links/:id is more than Hono's RegExpRouter
 * can compile, and the whole app would fall back to the slower TrieRouter.
 */
export function registerStaticAssets(router: Router, folder: string, names: readonly string[]) {
  for (const name of names) registerStaticAsset(router, `/assets/${name}`, { folder, name })
}

/** The script platforms load from their own pages to open a hosted link in a popup. */
export function registerEmbedScript(router: Router) {
  registerStaticAsset(router, '/embed.js', {
    folder: 'signup',
    name: 'embed.js',
    crossOrigin: true,
  })
}
