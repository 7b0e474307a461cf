// The layers of packages/core (ARCHITECTURE.md, "Layers inside packages/core"), enforced by
// `pnpm lint:layers`. A folder may import its own layer's foundation and any lower layer;
// never a higher layer, and never a sibling folder of its own layer (so phones and wabas,
// links and sessions stay independent). The root barrel (index.ts) and the test fixtures
// (testing/) sit outside the layers: they gather everything.
const CORE = '^packages/core/src/'

/** Bottom to top. The foundation is every top-level file and shared/. */
const LAYERS = [
  ['events', 'organizations', 'accounts', 'console', 'branding'],
  ['phones', 'wabas', 'business-profiles'],
  ['messages', 'outgoing-webhooks'],
  ['meta-webhooks'],
  ['onboarding-links', 'sessions'],
  ['signup-completion'],
]

const folder = (name) => `${CORE}${name}/`
const anyOf = (names) => `${CORE}(${names.join('|')})/`
const FOUNDATION = `${CORE}([^/]+\\.ts$|shared/)`
const OUTSIDE_LAYERS = `${CORE}(index\\.ts$|testing/)`

const layerRules = LAYERS.flatMap((layer, index) => {
  const above = LAYERS.slice(index + 1).flat()
  const rules = layer.map((name) => ({
    name: `layer-${name}`,
    comment: `${name} may import lower layers only (${above.join(', ') || 'none'} are above it)`,
    severity: 'error',
    from: { path: folder(name) },
    to: { path: [...(above.length ? [anyOf(above)] : []), OUTSIDE_LAYERS] },
  }))
  const siblings = layer.map((name) => ({
    name: `sibling-${name}`,
    comment: `${name} does not import the other folders of its layer (${layer.join(', ')})`,
    severity: 'error',
    from: { path: folder(name) },
    to: { path: anyOf(layer), pathNot: folder(name) },
  }))
  return layer.length > 1 ? [...rules, ...siblings] : rules
})

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'core modules never import each other in a circle',
      severity: 'error',
      from: { path: CORE },
      to: { circular: true },
    },
    {
      name: 'foundation-is-the-bottom',
      comment: 'top-level core files and shared/ import no core folder above them',
      severity: 'error',
      from: { path: FOUNDATION, pathNot: OUTSIDE_LAYERS },
      to: { path: CORE, pathNot: FOUNDATION },
    },
    ...layerRules,
    {
      name: 'every-core-folder-has-a-layer',
      comment: 'a new folder in packages/core/src is placed in LAYERS above before it is used',
      severity: 'error',
      from: { path: `${CORE}[^/]+/`, pathNot: [anyOf(LAYERS.flat()), OUTSIDE_LAYERS, `${CORE}shared/`] },
      to: {},
    },
    {
      name: 'core-imports-no-process',
      comment: 'packages/core is imported by the processes, never the other way round',
      severity: 'error',
      from: { path: CORE },
      to: { path: '^(apps|workers)/' },
    },
    {
      name: 'core-has-no-queue',
      comment: 'core reaches the queue only through its WorkQueue port (work-queue.ts)',
      severity: 'error',
      from: { path: CORE },
      to: { path: '(^|/)node_modules/(bullmq|ioredis)/|^packages/queue/' },
    },
    {
      name: 'core-has-no-queue-by-name',
      comment: 'the same, for imports that do not resolve (a package core must not even list)',
      severity: 'error',
      from: { path: CORE },
      to: { couldNotResolve: true, path: '^(bullmq|ioredis|@onboard/queue)(/|$)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
}
