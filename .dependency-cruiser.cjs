/**
 * The layout, checked in CI (npm run check:deps):
 *   shared/<domain>/    vocabulary, schemas, pure rules, and the plumbing both sides use; imports neither side
 *   services/<domain>/  routes and use cases (HTTP side)      workers/  jobs (queue side); the two never meet
 *   bin/                entrypoints only: nothing imports them  migrations/  frozen, Kysely only
 * A domain reaches another only through its index.ts (or its vocabulary.ts, which imports nothing); no cycles.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make load order and ownership unclear.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'shared-is-shared',
      severity: 'error',
      comment: 'shared/ is used by both sides and knows neither.',
      from: { path: '^shared/' },
      to: { path: '^(services|workers|bin)/' },
    },
    {
      name: 'services-not-workers',
      severity: 'error',
      comment: 'The HTTP side and the queue side meet only in the database and the outbox.',
      from: { path: '^services/' },
      to: { path: '^workers/' },
    },
    {
      name: 'workers-not-services',
      severity: 'error',
      comment: 'The HTTP side and the queue side meet only in the database and the outbox.',
      from: { path: '^workers/' },
      to: { path: '^services/' },
    },
    {
      name: 'bin-is-entrypoints',
      severity: 'error',
      comment: 'Entrypoints are started, never imported.',
      from: { pathNot: '^bin/' },
      to: { path: '^bin/' },
    },
    {
      name: 'migrations-are-frozen',
      severity: 'error',
      comment: 'A migration must not change when the code it would import changes.',
      from: { path: '^migrations/' },
      to: { path: '^(shared|services|workers|bin)/' },
    },
    {
      name: 'domain-through-its-index',
      severity: 'error',
      comment: 'Another domain is reached through its index.ts (or its import-free vocabulary.ts).',
      from: { path: '^(shared|services)/([^/]+)/' },
      to: { path: '^(shared|services)/[^/]+/', pathNot: ['^$1/$2/', '^(shared|services)/[^/]+/(index|vocabulary)[.]ts$'] },
    },
    {
      name: 'entrypoints-through-indexes',
      severity: 'error',
      comment: 'Entrypoints, the app composition and the workers use domains through their index.ts.',
      from: { path: '^(bin/|workers/|services/[^/]+[.]ts$)' },
      to: { path: '^(shared|services)/[^/]+/', pathNot: '^(shared|services)/[^/]+/(index|vocabulary)[.]ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|\\.data)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js'],
    },
  },
};
