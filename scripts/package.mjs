// `npm run package`: a .vsix with what the extension needs at run time and nothing else.
// Everything is bundled by esbuild except PGlite, which loads its WASM, data and contrib modules
// from its own folder: it is copied next to the bundles as dist/node_modules/@electric-sql/pglite.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const run = (command, args) => execFileSync(command, args, { cwd: root, stdio: 'inherit' });

run(process.execPath, ['scripts/build.mjs', '--production']);
const pglite = path.join(root, 'node_modules/@electric-sql/pglite');
const target = path.join(root, 'dist/node_modules/@electric-sql/pglite');
fs.rmSync(target, { recursive: true, force: true });
fs.mkdirSync(target, { recursive: true });
fs.copyFileSync(path.join(pglite, 'package.json'), path.join(target, 'package.json'));
fs.cpSync(path.join(pglite, 'dist'), path.join(target, 'dist'), { recursive: true, filter: (file) => !file.endsWith('.map') && !file.endsWith('.d.ts') && !file.endsWith('.d.cts') });

const out = path.join(root, `${pkg.name}-${pkg.version}.vsix`);
run(path.join(root, 'node_modules/.bin/vsce'), ['package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out]);
console.log(`${path.basename(out)}: ${(fs.statSync(out).size / 1048576).toFixed(1)} MB`);
