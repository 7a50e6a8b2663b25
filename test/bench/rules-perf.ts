/**
 * The two rule-speed figures of `npm run bench` (issue #4), measured exactly as bench.ts measures them,
 * without the rest of the bench. Build it on its own (it is not one of build.mjs's entries):
 *
 *   npx esbuild test/bench/rules-perf.ts --bundle --platform=node --target=node20 --outfile=/tmp/rules-perf/rules-perf.js \
 *     && cp node_modules/libpg-query/wasm/libpg-query.wasm /tmp/rules-perf/
 *   node /tmp/rules-perf/rules-perf.js rules [--runs N] [--no-prelude]
 *   node /tmp/rules-perf/rules-perf.js cli [--rounds N] [--cli dist/cli.js] [--cli other/cli.js …]
 *
 * `rules` runs bench.ts's `rulesOnBigMigration` (after the same parse and edit measurements bench.ts
 * runs before it in the same process, unless --no-prelude: they shape the heap the rules run in), each
 * run in a fresh process. `cli` times `pglens check --no-schema` and squawk on the same 1,000 files,
 * alternating, each a median of 3 as bench.ts does, and prints the ratio of every round.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { analyzeDocument } from '../../server/src/document/analyze';
import { syntaxFindings } from '../../server/src/features/syntax';
import { lintDocument } from '../../server/src/rules/lint';
import { loadParser } from '../../server/src/sql/parser';
import { generateMigration } from './generate';

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const fixed = (value: number): string => value.toFixed(1);

/** bench.ts's editOffsets. */
function editOffsets(text: string, count: number): number[] {
  const offsets: number[] = [];
  const all = [...text.matchAll(/'x(\d+)'/g)].map((match) => (match.index ?? 0) + 2);
  for (let k = 0; k < count; k++) offsets.push(all[Math.floor((k * all.length) / count)]);
  return offsets;
}

/** What bench.ts runs before the rules, in the same process: parseThroughput and editInProcess. */
function prelude(text: string): void {
  for (let k = 0; k < 5; k++) analyzeDocument(text);
  let current = text;
  let analysis = analyzeDocument(current);
  for (const [k, offset] of editOffsets(text, 300).entries()) {
    current = current.slice(0, offset) + String(k % 10) + current.slice(offset + 1);
    analysis = analyzeDocument(current, analysis.options, analysis);
    syntaxFindings(analysis);
  }
}

/** bench.ts's rulesOnBigMigration; returns cold, p50 and p95 in ms. */
function rulesOnBigMigration(text: string): { cold: number; p50: number; p95: number; statements: number; findings: number } {
  const analysis = analyzeDocument(text);
  const coldStart = performance.now();
  const findings = lintDocument(analysis, { isMigration: true }).length;
  const cold = performance.now() - coldStart;
  const times: number[] = [];
  let current = text;
  let previous = analysis;
  for (const [k, offset] of editOffsets(text, 50).entries()) {
    current = current.slice(0, offset) + String(k % 10) + current.slice(offset + 1);
    previous = analyzeDocument(current, previous.options, previous);
    const start = performance.now();
    lintDocument(previous, { isMigration: true });
    times.push(performance.now() - start);
  }
  return { cold, p50: percentile(times, 50), p95: percentile(times, 95), statements: analysis.statements.length, findings };
}

function wallTime(command: string, args: string[], okCodes: number[], runs = 3, expect?: RegExp): number {
  const times: number[] = [];
  for (let k = 0; k < runs; k++) {
    const start = performance.now();
    const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
    times.push(performance.now() - start);
    if (!okCodes.includes(result.status ?? -1) || (expect && !expect.test(result.stderr))) throw new Error(`${path.basename(command)} failed (${result.status}): ${String(result.stderr ?? result.error).slice(0, 500)}`);
  }
  return percentile(times, 50);
}

function option(args: string[], name: string): string[] {
  const values: string[] = [];
  args.forEach((arg, k) => {
    if (arg === name && args[k + 1] !== undefined) values.push(args[k + 1]);
  });
  return values;
}

const spread = (values: number[]): string => `median ${fixed(percentile(values, 50))}, min ${fixed(Math.min(...values))}, max ${fixed(Math.max(...values))}`;

async function main(): Promise<void> {
  const [mode, ...args] = process.argv.slice(2);
  const runs = Number(option(args, '--runs')[0] ?? option(args, '--rounds')[0] ?? 5);
  if (mode === 'rules-once') {
    await loadParser();
    const text = generateMigration(10_000);
    if (!args.includes('--no-prelude')) prelude(text);
    console.log(JSON.stringify(rulesOnBigMigration(text)));
    return;
  }
  if (mode === 'rules') {
    const results: Array<ReturnType<typeof rulesOnBigMigration>> = [];
    for (let k = 0; k < runs; k++) {
      const child = spawnSync(process.execPath, [...process.execArgv, __filename, 'rules-once', ...args], { encoding: 'utf8' });
      if (child.status !== 0) throw new Error(child.stderr);
      const result = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as ReturnType<typeof rulesOnBigMigration>;
      results.push(result);
      console.log(`run ${k + 1}: cold ${fixed(result.cold)} ms, p50 ${fixed(result.p50)} ms, p95 ${fixed(result.p95)} ms (${result.statements} statements, ${result.findings} findings)`);
    }
    console.log(`p95 over ${runs} runs: ${spread(results.map((result) => result.p95))} ms (target ≤ 50)`);
    console.log(`p50 over ${runs} runs: ${spread(results.map((result) => result.p50))} ms`);
    return;
  }
  if (mode === 'cli') {
    // Run from the repository root: the bundle itself may live anywhere.
    const root = process.cwd();
    const clis = option(args, '--cli');
    if (clis.length === 0) clis.push(path.join(root, 'dist/cli.js'));
    const squawk = path.join(root, 'node_modules/@squawk-cli/linux-x64/bin/squawk');
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'pglens-rules-perf-'));
    const files: string[] = [];
    for (let n = 0; n < 1000; n++) {
      const file = path.join(directory, `V${n + 1}__migration_${n}.sql`);
      fs.writeFileSync(file, generateMigration(60 + (n % 5) * 20));
      files.push(file);
    }
    const ratios = new Map<string, number[]>(clis.map((cli) => [cli, []]));
    const squawkTimes: number[] = [];
    try {
      for (let round = 0; round < runs; round++) {
        const theirs = wallTime(squawk, files, [0, 1]);
        squawkTimes.push(theirs);
        const line = [`round ${round + 1}: squawk ${(theirs / 1000).toFixed(2)} s`];
        for (const cli of clis) {
          const ours = wallTime(process.execPath, [cli, 'check', '--no-schema', directory], [0, 1], 3, /in 1000 files/);
          ratios.get(cli)?.push(ours / theirs);
          line.push(`${cli} ${(ours / 1000).toFixed(2)} s (${(ours / theirs).toFixed(2)}×)`);
        }
        console.log(line.join(', '));
      }
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
    console.log(`squawk: median ${(percentile(squawkTimes, 50) / 1000).toFixed(2)} s`);
    for (const [cli, values] of ratios) {
      console.log(`${cli} / squawk: median ${percentile(values, 50).toFixed(2)}×, min ${Math.min(...values).toFixed(2)}×, max ${Math.max(...values).toFixed(2)}× (target ≤ 1.5×)`);
    }
    return;
  }
  console.error('usage: rules-perf.js rules [--runs N] [--no-prelude] | cli [--rounds N] [--cli path …]');
  process.exitCode = 2;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
