import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { squawkBinary } from './squawk';

interface Row {
  measure: string;
  value: string;
  target: string;
  ok?: boolean;
}

const FIXTURES = path.join(__dirname, '../test/fixtures/real-repos');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function wall(command: string, args: string[], cwd: string, runs: number): number {
  const times: number[] = [];
  for (let k = 0; k < runs; k++) {
    const start = performance.now();
    const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 26 });
    times.push(performance.now() - start);
    if (result.status !== 0 && result.status !== 1) throw new Error(`${path.basename(command)} failed (${result.status}): ${result.stderr.slice(0, 300)}`);
  }
  return median(times);
}

function sqlFilesBelow(folder: string): string[] {
  return fs.readdirSync(folder, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile() && entry.name.endsWith('.sql')).map((entry) => path.join(entry.parentPath, entry.name));
}

/** Startup on a one-statement file, and each real-repository fixture, pglens and squawk side by side in one run. */
export function benchRealRepos(cli: string): Row[] {
  const rows: Row[] = [];
  const squawk = squawkBinary(path.join(__dirname, '..'));
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'pglens-bench-one-'));
  const one = path.join(directory, 'one.sql');
  fs.writeFileSync(one, 'CREATE TABLE t (id bigint PRIMARY KEY);\n');
  const ours = wall(process.execPath, [cli, 'check', '--no-schema', one], directory, 7);
  rows.push({ measure: '`pglens check --no-schema` of a one-statement file (wall, median of 7)', value: `${ours.toFixed(0)} ms`, target: '≤ 150 ms', ok: ours <= 150 });
  if (squawk) rows.push({ measure: '  squawk 2.66.0 on the same file, same run', value: `${wall(squawk, [one], directory, 7).toFixed(0)} ms`, target: '—' });
  fs.rmSync(directory, { recursive: true, force: true });
  for (const name of fs.readdirSync(FIXTURES).filter((entry) => fs.statSync(path.join(FIXTURES, entry)).isDirectory())) {
    const root = path.join(FIXTURES, name);
    const files = sqlFilesBelow(root);
    const pglens = wall(process.execPath, [cli, 'check', '--no-schema', '.'], root, 5);
    rows.push({ measure: `\`pglens check --no-schema .\` on test/fixtures/real-repos/${name} (${files.length} files, median of 5)`, value: `${pglens.toFixed(0)} ms`, target: '≤ 1.0× squawk' });
    if (squawk) {
      const theirs = wall(squawk, files, root, 5);
      rows.push({ measure: `  squawk 2.66.0 on the same ${files.length} files; pglens / squawk`, value: `${theirs.toFixed(0)} ms; ${(pglens / theirs).toFixed(2)}×`, target: '≤ 1.0×', ok: pglens / theirs <= 1.0 });
    }
  }
  return rows;
}
