import { fileURLToPath } from 'node:url'
import { Eta } from 'eta'

/** Absolute path of the eta templates shared by the API's hosted pages and the Meta sandbox. */
export const templatesDir = fileURLToPath(new URL('../templates', import.meta.url))

/**
 * One Eta instance per process. `<%= %>` escapes (autoEscape is on by default);
 * templates are compiled once and cached unless `cache` is turned off for editing.
 */
export function createViews(options: { cache?: boolean } = {}): Eta {
  const cache = options.cache ?? true
  const eta = new Eta({ views: templatesDir, cache, autoEscape: true })
  if (cache) rememberResolvedPaths(eta)
  return eta
}

/**
 * Eta resolves a template's name to its file on every render and include, before it looks
 * in its cache of compiled templates; that was a tenth of a hosted-page render. A name
 * resolves the same way for as long as the process runs, so each answer is kept.
 */
function rememberResolvedPaths(eta: Eta): void {
  const resolve = eta.resolvePath.bind(eta)
  const resolved = new Map<string, string>()
  eta.resolvePath = (name, options) => {
    const key = `${options?.filepath ?? ''}\0${name}`
    let path = resolved.get(key)
    if (path === undefined) {
      path = resolve(name, options)
      resolved.set(key, path)
    }
    return path
  }
}

export {
  type Catalogue,
  catalogues,
  fillIn,
  LOCALES,
  type Locale,
  localeOfMetaLocale,
  META_SDK_LOCALES,
  splitAt,
} from './i18n'
export type { Eta }
