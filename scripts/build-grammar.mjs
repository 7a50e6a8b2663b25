// Converts the TextMate grammar source syntaxes/pgsql.tmLanguage.yaml into
// syntaxes/pgsql.tmLanguage.json (the file VS Code loads; it is committed).
//
//   node scripts/build-grammar.mjs           write the JSON
//   node scripts/build-grammar.mjs --check   exit 1 if the JSON is out of date
//
// The conversion is yaml.load + JSON.stringify(value, null, 2) + '\n';
// test/grammar/grammar.test.ts repeats it in memory to check the sync.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const source = path.join(root, 'syntaxes', 'pgsql.tmLanguage.yaml');
const target = path.join(root, 'syntaxes', 'pgsql.tmLanguage.json');
const check = process.argv.includes('--check');

const grammar = yaml.load(fs.readFileSync(source, 'utf8'), { filename: source });

if (grammar === null || typeof grammar !== 'object' || grammar.scopeName !== 'source.pgsql') {
  console.error(`${path.relative(root, source)}: expected a grammar object with scopeName source.pgsql`);
  process.exit(1);
}

// Every `include: '#name'` must point at a repository entry.
const repository = grammar.repository ?? {};
const missing = new Set();
(function visit(node) {
  if (Array.isArray(node)) {
    node.forEach(visit);
  } else if (node !== null && typeof node === 'object') {
    if (typeof node.include === 'string' && node.include.startsWith('#') && !(node.include.slice(1) in repository)) {
      missing.add(node.include);
    }
    Object.values(node).forEach(visit);
  }
})(grammar);
if (missing.size > 0) {
  console.error(`${path.relative(root, source)}: unknown include(s): ${[...missing].join(', ')}`);
  process.exit(1);
}

const json = JSON.stringify(grammar, null, 2) + '\n';

if (check) {
  const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
  if (current !== json) {
    console.error(`${path.relative(root, target)} is out of date; run: npm run build:grammar`);
    process.exit(1);
  }
  console.log(`${path.relative(root, target)} is up to date`);
} else {
  fs.writeFileSync(target, json);
  console.log(`wrote ${path.relative(root, target)}`);
}
