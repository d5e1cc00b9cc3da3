// The layer arrows of DEVELOPERS.md, checked by `npm run lint`: each rule names a folder and the
// folders of ours it must not import. npm packages are allowed everywhere the runtime has them.
const OURS = ['shared', 'db', 'desk-backend', 'renderer', 'electron', 'web-host', 'server', 'bench', 'tests', 'clients'];
const allowOnly = (from, allowed, why) => ({
  name: `${from}-imports-only-${allowed.join('-') || 'itself'}`,
  comment: why,
  severity: 'error',
  from: { path: `^${from}/` },
  to: { path: `^(${OURS.filter((folder) => folder !== from && !allowed.includes(folder)).join('|')})/` },
});

module.exports = {
  forbidden: [
    allowOnly('shared', [], 'shared/ is the pure domain and contract: it imports nothing of ours'),
    allowOnly('renderer', ['shared'], 'the renderer reaches the desk only through the typed contract in shared/'),
    allowOnly('db', ['shared'], 'the desk cache is SQLite over the shared domain: it knows no network and no host'),
    allowOnly('desk-backend', ['db', 'shared'], 'the desk backend serves the desk contract from the cache and the central API'),
    allowOnly('electron', ['desk-backend', 'shared'], 'the Electron shell hosts the desk backend; never the cache directly, the renderer or the server'),
    allowOnly('web-host', ['desk-backend', 'shared'], 'the browser-mode host is the second transport of the same desk backend'),
    allowOnly('server', ['shared'], 'the central API shares only the contract and domain with the desk'),
    {
      name: 'shared-has-no-io',
      comment: 'shared/ runs in the renderer too: no Node built-ins',
      severity: 'error',
      from: { path: '^shared/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'no-circular',
      comment:
        'an import cycle makes module order matter and hides which module owns what. Type-only imports are left out: ' +
        "they vanish at run time, and zustand's slice pattern has each slice name the combined store's type",
      severity: 'error',
      from: { path: `^(${OURS.join('|')})/` },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'an import that resolves to nothing is a typo or a missing dependency',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|dist-electron|release|test-results)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: require('node:path').join(__dirname, 'tsconfig.base.json') },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
