/**
 * The import rules of docs/architecture.md, checked by `npm run lint`. Layers, from the bottom:
 * protocol/ → engine (server/src/<folder>/, its foundation text/ sql/ db/ lowest) → adapters
 * (server/src/lsp/, server/src/cli/) → entry points (server.ts, main.ts, cli.ts). client/ and
 * webviews/ reach the server only through protocol/. No cycles anywhere. No exceptions are listed:
 * a new folder fits these rules by where it is put.
 */
const ENGINE = '^server/src/(?!lsp/|cli/|server\\.ts$|main\\.ts$|cli\\.ts$)';
const ADAPTERS_AND_ENTRIES = '^server/src/(lsp/|cli/|server\\.ts$|main\\.ts$|cli\\.ts$)';

module.exports = {
  forbidden: [
    { name: 'no-cycle', comment: 'Modules (type imports included) form no cycle.', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'protocol-is-shared-ground',
      comment: 'protocol/ is what client, server and webviews agree on: it imports none of them.',
      severity: 'error',
      from: { path: '^protocol/' },
      to: { path: '^(server|client|webviews|test|scripts)/' },
    },
    {
      name: 'client-through-protocol',
      comment: 'The extension talks to the server through protocol/ only (typed LSP messages), never its modules.',
      severity: 'error',
      from: { path: '^client/' },
      to: { path: '^(server|webviews|test)/' },
    },
    {
      name: 'webview-through-protocol',
      comment: 'A webview sees protocol/, its own folder and webviews/shared/ only.',
      severity: 'error',
      from: { path: '^webviews/([^/]+)/' },
      to: { path: '^(server|client|test|webviews/)', pathNot: '^webviews/($1|shared)/' },
    },
    {
      name: 'server-not-client',
      comment: 'The server never imports the extension, the webviews or the tests.',
      severity: 'error',
      from: { path: '^server/' },
      to: { path: '^(client|webviews|test)/' },
    },
    {
      name: 'engine-below-adapters',
      comment: 'The engine is used by lsp/ and cli/, and never uses them (nor the entry points).',
      severity: 'error',
      from: { path: ENGINE },
      to: { path: ADAPTERS_AND_ENTRIES },
    },
    {
      name: 'engine-speaks-no-lsp',
      comment: 'Engine features return plain data: LSP types, the LSP server and VS Code stay in the adapters.',
      severity: 'error',
      from: { path: ENGINE },
      to: { path: '(^|/)node_modules/(vscode-languageserver|vscode-languageclient|vscode-jsonrpc|@types/vscode)/|^vscode$' },
    },
    {
      name: 'foundation-at-the-bottom',
      comment: 'text/, sql/ and db/ are what every engine folder builds on: they import only each other.',
      severity: 'error',
      from: { path: '^server/src/(text|sql|db)/' },
      to: { path: '^server/src/', pathNot: '^server/src/(text|sql|db)/' },
    },
    {
      name: 'lsp-not-cli',
      comment: 'The two adapters share the engine, not each other.',
      severity: 'error',
      from: { path: '^server/src/lsp/' },
      to: { path: '^server/src/cli/' },
    },
    {
      name: 'cli-not-lsp',
      comment: 'The two adapters share the engine, not each other.',
      severity: 'error',
      from: { path: '^server/src/cli/' },
      to: { path: '^server/src/lsp/' },
    },
    {
      name: 'entry-points-are-roots',
      comment: 'server.ts, main.ts and cli.ts start things; only main.ts imports server.ts, and tests may.',
      severity: 'error',
      from: { pathNot: '^(server/src/main\\.ts|test/)' },
      to: { path: '^server/src/(server|main|cli)\\.ts$' },
    },
    {
      name: 'vscode-only-in-client',
      comment: 'Of the product, only the extension runs inside VS Code.',
      severity: 'error',
      from: { path: '^(server|protocol|webviews)/' },
      to: { path: '^vscode$|(^|/)node_modules/@types/vscode/' },
    },
  ],
  options: {
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|\\.cache)/' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
