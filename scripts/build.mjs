// One esbuild script for every bundle (client, server, CLI, bench); `vscode` stays external.
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  // PGlite finds its WASM, data and contrib bundles next to its own files: it stays in node_modules.
  // playwright-core (the bench drives Chromium) reads its own package files at run time: it cannot be bundled.
  external: ['vscode', '@electric-sql/pglite', '@electric-sql/pglite/*', 'pg-native', 'playwright-core'],
  define: { PGLENS_VERSION: JSON.stringify(pkg.version) },
  logLevel: 'warning',
  absWorkingDir: root,
};

const entries = {
  client: 'client/src/extension.ts',
  server: 'server/src/main.ts',
  'shadow-worker': 'server/src/shadow/worker-main.ts',
  cli: 'server/src/cli.ts',
  bench: 'test/bench/bench.ts',
  'compare-squawk': 'test/bench/compare-squawk.ts',
  'electron-run': 'test/electron/run.ts',
  'electron-suite': 'test/electron/suite.ts',
};

// Generated sources kept in git (the grammar JSON VS Code loads, the catalog queries as strings): refreshed first, since the bundles embed them.
for (const generator of ['scripts/build-grammar.mjs', 'scripts/build-queries.mjs', 'scripts/build-rules.mjs']) {
  execFileSync(process.execPath, [path.join(root, generator)], { stdio: 'inherit' });
}

// protocol/ declares its messages with vscode-languageserver-protocol; vscode-languageclient pins a copy of its
// own. The client bundle takes that one for both, so it holds one copy, not two.
const fromLanguageClient = createRequire(createRequire(path.join(root, 'package.json')).resolve('vscode-languageclient/node'));
const oneProtocolCopy = {
  name: 'one-protocol-copy',
  setup(build) {
    build.onResolve({ filter: /^vscode-languageserver-protocol$/ }, () => ({ path: fromLanguageClient.resolve('vscode-languageserver-protocol') }));
  },
};

fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
// Webviews: one browser bundle per view with d3 and vscode-elements inlined; the CSS the entry imports lands beside it.
const webviews = { plan: 'webviews/plan/main.ts', rls: 'webviews/rls/main.ts', erd: 'webviews/erd/main.ts' };
const webview = { bundle: true, platform: 'browser', format: 'iife', target: 'chrome114', minify: production, logLevel: 'warning', absWorkingDir: root };
// ELK's worker script is inlined into the ER diagram's view as a string and started from a blob: URL.
webview.define = { ERD_LAYOUT_WORKER: JSON.stringify(fs.readFileSync(path.join(root, 'node_modules/elkjs/lib/elk-worker.min.js'), 'utf8')) };
await Promise.all([
  ...Object.entries(entries)
    .filter(([, entry]) => fs.existsSync(path.join(root, entry)))
    .map(([name, entry]) => esbuild.build({ ...common, entryPoints: [entry], outfile: `dist/${name}.js`, plugins: name === 'client' ? [oneProtocolCopy] : [] })),
  ...Object.entries(webviews).map(([name, entry]) => esbuild.build({ ...webview, entryPoints: [entry], outfile: `dist/webviews/${name}.js` })),
]);

// libpg-query loads its WASM from the bundle's own folder (__dirname).
fs.copyFileSync(path.join(root, 'node_modules/libpg-query/wasm/libpg-query.wasm'), path.join(root, 'dist/libpg-query.wasm'));

console.log(`built ${[...Object.keys(entries), ...Object.keys(webviews).map((name) => `webviews/${name}`)].join(', ')} into dist/`);
