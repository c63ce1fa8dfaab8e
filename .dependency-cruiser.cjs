/**
 * What each layer may use (`npm run deps`, part of `npm test`). The house is ../shared/ARCHITECTURE.md:
 * - contract/ is pure and neutral: the Worker and the trainer both read it, it imports neither, no
 *   platform module (node:, cloudflare:) and nothing of ours outside itself;
 * - audio/ (the audio analyser) is pure too: the Worker and the trainer both run it; it may read contract/;
 * - worker/ (the Worker) and models/ (the trainer) never import each other;
 * - no cycle between folders: a folder is a layer, and layers point one way;
 * - worker/schemas/ is a leaf (the wire vocabulary) and worker/db/ sits below the domains.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycles',
      comment: 'Folders are layers and point one way; a cycle means two folders are one, or a module is in the wrong one.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^(contract|audio|worker|models)/' },
      to: { circular: true },
    },
    {
      name: 'contract-is-pure',
      comment: 'contract/ is read by the Worker and the trainer alike: no platform modules, nothing of ours outside contract/.',
      severity: 'error',
      from: { path: '^contract/' },
      to: { pathNot: '^contract/|(^|/)node_modules/' },
    },
    {
      name: 'contract-no-platform',
      comment: 'contract/ runs in workerd and in Node: no node: or cloudflare: modules.',
      severity: 'error',
      from: { path: '^contract/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'audio-is-pure',
      comment:
        'audio/ runs in the Worker (queue consumer) and in the trainer (npm run analyze): it imports contract/, itself and packages only.',
      severity: 'error',
      from: { path: '^audio/' },
      to: { pathNot: '^(audio|contract)/|(^|/)node_modules/' },
    },
    {
      name: 'audio-no-platform',
      comment: 'audio/ runs in workerd and in Node: no node: or cloudflare: modules.',
      severity: 'error',
      from: { path: '^audio/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'worker-not-trainer',
      comment: 'The Worker reads what it shares with the trainer from contract/, never from models/.',
      severity: 'error',
      from: { path: '^worker/' },
      to: { path: '^models/' },
    },
    {
      name: 'trainer-not-worker',
      comment: 'The trainer reads what it shares with the Worker from contract/, never from worker/.',
      severity: 'error',
      from: { path: '^models/' },
      to: { path: '^worker/' },
    },
    {
      name: 'schemas-are-vocabulary',
      comment:
        'worker/schemas/ is the wire vocabulary every layer may read (routes, domains, db): it imports only zod, contract/ and the pure metric definitions, so it can never close a cycle.',
      severity: 'error',
      from: { path: '^worker/schemas/' },
      to: { path: '^worker/', pathNot: '^worker/(schemas/|analytics/definitions\\.ts$)' },
    },
    {
      name: 'db-below-domains',
      comment: 'worker/db/ holds the SQL; it may use contract/, the schemas and pure definitions, never a route or a domain that calls it.',
      severity: 'error',
      from: { path: '^worker/db/' },
      to: { path: '^worker/(routes|recs|jobs|segments|campaigns|editorial|model|middleware)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'worker-configuration\\.d\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'worker/tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'workerd', 'worker', 'default'] },
  },
};
