import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { build, type Plugin } from 'esbuild'

/**
 * The entries of the three roles (`all`: the API and the worker in one process; `api`;
 * `worker`) as JavaScript bundles, built by `./scripts/start` into `dist/services/`
 * (git-ignored) in about a second. Running them instead of the
 * TypeScript through `tsx` spares each process the loader (its hooks thread and esbuild
 * service) and the per-module transform, which is most of an idle process's memory
 * (measured in docs/performance.md).
 * Tests and the CLI keep running the TypeScript through `tsx`.
 */
export type ServiceRole = 'all' | 'api' | 'worker'
export type ServiceBundles = Record<ServiceRole, string>

/**
 * Node flags per service. `--optimize-for-size` makes V8 collect the API's heap sooner, so
 * its peak RSS under load stays far lower for a few percent of CPU (docs/performance.md).
 */
export const SERVICE_NODE_FLAGS: Record<ServiceRole, readonly string[]> = {
  all: ['--optimize-for-size'],
  api: ['--optimize-for-size'],
  worker: [],
}

export async function buildServiceBundles(
  root: string,
  outdir = join(root, 'dist', 'services'),
): Promise<ServiceBundles> {
  await build({
    entryPoints: {
      all: join(root, 'scripts/all-in-one.ts'),
      api: join(root, 'apps/api/src/main.ts'),
      worker: join(root, 'workers/webhooks/src/main.ts'),
    },
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    plugins: [keepModuleUrls, nativeAddonsInPlace],
    // Bundled CommonJS packages call require(); an ES module has none of its own.
    banner: {
      js: "import { createRequire as createRequireForBundle } from 'node:module'; const require = createRequireForBundle(import.meta.url);",
    },
  })
  return {
    all: join(outdir, 'all.mjs'),
    api: join(outdir, 'api.mjs'),
    worker: join(outdir, 'worker.mjs'),
  }
}

/**
 * Our modules find files beside their source (the eta templates, the sandbox's browser
 * assets) through `import.meta.url`; in a bundle that would be the bundle's URL. Each of
 * our modules keeps its own source URL instead (the bundle is rebuilt at every start, so
 * the path is always this checkout's).
 */
const keepModuleUrls: Plugin = {
  name: 'keep-module-urls',
  setup(context) {
    context.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes('/node_modules/')) return undefined
      const source = await readFile(args.path, 'utf8')
      const url = JSON.stringify(pathToFileURL(args.path).href)
      return { contents: source.replaceAll('import.meta.url', url), loader: 'ts' }
    })
  },
}

/**
 * better-sqlite3 loads a compiled addon from its own folder, so it cannot be bundled. It
 * stays an import, of the absolute path it resolves to from the importing package (pnpm
 * keeps it out of reach of `dist/`).
 */
const nativeAddonsInPlace: Plugin = {
  name: 'native-addons-in-place',
  setup(context) {
    context.onResolve({ filter: /^better-sqlite3$/ }, (args) => ({
      path: createRequire(args.importer).resolve(args.path),
      external: true,
    }))
  },
}
