import { fileURLToPath } from 'node:url'
import { Eta } from 'eta'

/** Absolute path of the eta templates shared by the API's hosted pages and the Meta sandbox. */
export const templatesDir = fileURLToPath(new URL('../templates', import.meta.url))

/**
 * One Eta instance per process. `<%= %>` escapes (autoEscape is on by default);
 * templates are compiled once and cached unless `cache` is turned off for editing.
 */
export function createViews(options: { cache?: boolean } = {}): Eta {
  return new Eta({ views: templatesDir, cache: options.cache ?? true, autoEscape: true })
}

export type { Eta }
