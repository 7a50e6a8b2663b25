/**
 * `npm run bench`: the speed figures the issues set targets for, printed as a table.
 * Timings are medians and percentiles of repeated runs on this machine; no assertion is made here.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseSync } from 'libpg-query';
import { analyzeDocument } from '../../server/src/document/analyze';
import { syntaxFindings } from '../../server/src/features/syntax';
import { lintDocument } from '../../server/src/rules/lint';
import { loadParser } from '../../server/src/sql/parser';
import { TestClient } from '../lsp/client';
import { benchFeatures } from './features-bench';
import { generateMigration } from './generate';
import { benchDiff } from './diff-bench';
import { benchAdvice } from './advice-bench';
import { benchErd } from './erd-bench';
import { benchPlanDraw } from './plan-draw-bench';
import { benchPlanHover } from './plan-hover-bench';
import { benchPlanParse } from './plan-parse-bench';
import { benchShadow } from './shadow-bench';
import { benchRealRepos } from './real-repos-bench';
import { squawkBinary } from './squawk';
import { benchSnapshot } from './snapshot-bench';

interface Row {
  measure: string;
  value: string;
  target: string;
  ok?: boolean;
}

const rows: Row[] = [];
const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const ms = (value: number): string => `${value.toFixed(1)} ms`;

/** Positions of one-character edits spread over the document: inside literals, so the SQL stays valid. */
function editOffsets(text: string, count: number): number[] {
  const offsets: number[] = [];
  const regex = /'x(\d+)'/g;
  const all = [...text.matchAll(regex)].map((match) => (match.index ?? 0) + 2);
  for (let k = 0; k < count; k++) offsets.push(all[Math.floor((k * all.length) / count)]);
  return offsets;
}

async function parseThroughput(text: string): Promise<void> {
  const megabytes = Buffer.byteLength(text) / (1024 * 1024);
  const runs: number[] = [];
  for (let k = 0; k < 5; k++) {
    const start = performance.now();
    analyzeDocument(text);
    runs.push(performance.now() - start);
  }
  const best = Math.min(...runs);
  rows.push({ measure: `parse throughput, 10,000-line migration (${megabytes.toFixed(2)} MB): split + parse + PL/pgSQL`, value: `${(megabytes / (best / 1000)).toFixed(2)} MB/s`, target: '—' });
  const rawStart = performance.now();
  parseSync(text);
  const raw = performance.now() - rawStart;
  rows.push({ measure: '  for reference: libpg-query parseSync of the whole file at once', value: `${(megabytes / (raw / 1000)).toFixed(2)} MB/s`, target: '—' });
}

function editInProcess(text: string): void {
  let current = text;
  let analysis = analyzeDocument(current);
  const times: number[] = [];
  for (const [k, offset] of editOffsets(text, 300).entries()) {
    current = current.slice(0, offset) + String(k % 10) + current.slice(offset + 1);
    const start = performance.now();
    analysis = analyzeDocument(current, analysis.options, analysis);
    syntaxFindings(analysis);
    times.push(performance.now() - start);
  }
  const p95 = percentile(times, 95);
  rows.push({ measure: 'one-character edit → fresh diagnostics, 10,000-line file, in process (p50)', value: ms(percentile(times, 50)), target: '—' });
  rows.push({ measure: 'one-character edit → fresh diagnostics, 10,000-line file, in process (p95)', value: ms(p95), target: '≤ 30 ms', ok: p95 <= 30 });
}

async function editOverLsp(text: string, serverBundle: string): Promise<void> {
  const { client } = await TestClient.start(serverBundle);
  const uri = 'file:///bench/migration.sql';
  await client.open(uri, text);
  await client.diagnostics(uri);
  const times: number[] = [];
  for (const [k, offset] of editOffsets(text, 100).entries()) {
    const before = text.slice(0, offset);
    const line = before.split('\n').length - 1;
    const character = offset - before.lastIndexOf('\n') - 1;
    const start = performance.now();
    await client.change(uri, [{ range: { start: { line, character }, end: { line, character: character + 1 } }, text: String(k % 10) }]);
    await client.diagnostics(uri);
    times.push(performance.now() - start);
  }
  await client.stop();
  rows.push({ measure: 'one-character edit → fresh diagnostics, 10,000-line file, over LSP stdio (p50)', value: ms(percentile(times, 50)), target: '—' });
  rows.push({ measure: 'one-character edit → fresh diagnostics, 10,000-line file, over LSP stdio (p95)', value: ms(percentile(times, 95)), target: '—' });
}

function rulesOnBigMigration(text: string): void {
  const analysis = analyzeDocument(text);
  const coldStart = performance.now();
  lintDocument(analysis, { isMigration: true });
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
  rows.push({ measure: `all rules on a 10,000-line migration (${analysis.statements.length} statements), first run`, value: ms(cold), target: '—' });
  const p95 = percentile(times, 95);
  rows.push({ measure: 'all rules on a 10,000-line migration, after a one-character edit (p95)', value: ms(p95), target: '≤ 50 ms', ok: p95 <= 50 });
}

/** Wall time of a command, median of `runs`; throws when it exits with a code outside `okCodes`. */
function wallTime(command: string, args: string[], okCodes: number[], runs = 3): number {
  const times: number[] = [];
  for (let k = 0; k < runs; k++) {
    const start = performance.now();
    const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
    times.push(performance.now() - start);
    if (!okCodes.includes(result.status ?? -1)) throw new Error(`${path.basename(command)} failed (${result.status}): ${result.stderr.slice(0, 500)}`);
  }
  return percentile(times, 50);
}

function checkThousandFiles(cli: string): void {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'pglens-bench-'));
  const files: string[] = [];
  for (let n = 0; n < 1000; n++) {
    const file = path.join(directory, `V${n + 1}__migration_${n}.sql`);
    fs.writeFileSync(file, generateMigration(60 + (n % 5) * 20));
    files.push(file);
  }
  const ours = wallTime(process.execPath, [cli, 'check', '--no-schema', directory], [0, 1]);
  rows.push({ measure: '`pglens check --no-schema` (syntax + rules) of 1,000 generated files (~100 lines each), median of 3', value: `${(ours / 1000).toFixed(2)} s`, target: '≤ 3 s', ok: ours <= 3000 });
  const squawk = squawkBinary(path.join(__dirname, '..'));
  if (squawk) {
    const theirs = wallTime(squawk, files, [0, 1]);
    rows.push({ measure: '  squawk 2.66.0 on the same files, same run, median of 3', value: `${(theirs / 1000).toFixed(2)} s`, target: '—' });
    rows.push({ measure: '  pglens / squawk', value: `${(ours / theirs).toFixed(2)}×`, target: '≤ 1.5×', ok: ours / theirs <= 1.5 });
  }
  fs.rmSync(directory, { recursive: true, force: true });
}

async function firstDiagnostics(serverBundle: string): Promise<void> {
  const runs: number[] = [];
  const text = generateMigration(500);
  for (let k = 0; k < 5; k++) {
    const start = performance.now();
    const { client } = await TestClient.start(serverBundle);
    await client.open('file:///bench/first.sql', text);
    await client.diagnostics('file:///bench/first.sql');
    runs.push(performance.now() - start);
    await client.stop();
  }
  const median = percentile(runs, 50);
  rows.push({ measure: 'server start → first diagnostics (spawn, initialize, open, pull; median of 5)', value: ms(median), target: '≤ 500 ms', ok: median <= 500 });
}

async function schemaFigures(): Promise<void> {
  const shadow = await benchShadow(300);
  rows.push({ measure: 'shadow replay of 300 migration files, cold (no cache at all: includes PGlite initdb)', value: `${(shadow.coldWithInitdbMs / 1000).toFixed(2)} s`, target: '≤ 15 s', ok: shadow.coldWithInitdbMs <= 15_000 });
  rows.push({ measure: 'shadow replay of 300 migration files, cold (initialised PGlite cached, replay not)', value: `${(shadow.coldMs / 1000).toFixed(2)} s`, target: '≤ 15 s', ok: shadow.coldMs <= 15_000 });
  rows.push({ measure: 'shadow replay of 300 migration files, warm (replay cached: findings without opening)', value: ms(shadow.warmMs), target: '≤ 1 s', ok: shadow.warmMs <= 1000 });
  rows.push({ measure: '  warm replay + first check that opens the cached database', value: ms(shadow.warmFirstCheckMs), target: '—' });
  const p95 = percentile(shadow.diagnostics200, 95);
  rows.push({ measure: 'schema diagnostics of a 200-statement migration after 50 files (p50)', value: ms(percentile(shadow.diagnostics200, 50)), target: '—' });
  rows.push({ measure: 'schema diagnostics of a 200-statement migration after 50 files (p95)', value: ms(p95), target: '≤ 300 ms', ok: p95 <= 300 });

  const features = benchFeatures();
  const hover = percentile(features.hover, 95);
  const completion = percentile(features.completion, 95);
  rows.push({ measure: 'hover, 10,000-line file, 10,000-table snapshot (p95)', value: ms(hover), target: '≤ 50 ms', ok: hover <= 50 });
  rows.push({ measure: 'completion, 10,000-line file, 10,000-table snapshot (p95)', value: ms(completion), target: '≤ 50 ms', ok: completion <= 50 });

  const url = process.env.PGLENS_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  try {
    const snapshot = await benchSnapshot(url, async (databaseUrl) => {
      const hover = await benchPlanHover(path.join(__dirname, 'server.js'), databaseUrl);
      const p95 = percentile(hover.fresh, 95);
      rows.push({ measure: `hover with plan hints, live server with 10,000 tables: EXPLAIN each time (p95 of ${hover.fresh.length}; ${hover.planned} planned)`, value: ms(p95), target: '≤ 150 ms', ok: p95 <= 150 && hover.planned === hover.fresh.length });
      rows.push({ measure: '  the same hovers again, from the per-statement cache (p95)', value: ms(percentile(hover.cached, 95)), target: '—' });
    });
    rows.push({ measure: `snapshot of ${snapshot.tables.toLocaleString('en')} tables from the local server (median of 3)`, value: `${(snapshot.loadMs / 1000).toFixed(2)} s`, target: '≤ 1.5 s', ok: snapshot.loadMs <= 1500 });
    if (snapshot.serverRssGrowthMb !== undefined) {
      rows.push({ measure: '  server backend RSS growth during that load', value: `${snapshot.serverRssGrowthMb.toFixed(0)} MB`, target: '≤ 250 MB', ok: snapshot.serverRssGrowthMb <= 250 });
    }
    rows.push({ measure: '  catalog fingerprint (the staleness check), 10,000 tables', value: ms(snapshot.fingerprintMs), target: '—' });
  } catch (error) {
    rows.push({ measure: `snapshot of 10,000 tables: no server at ${url.replace(/:[^:@/]*@/, ':***@')} (${(error as Error).message})`, value: 'skipped', target: '≤ 1.5 s' });
  }
}

async function adviceFigures(cli: string): Promise<void> {
  const url = process.env.PGLENS_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  try {
    const advice = await benchAdvice(url, cli);
    const median = (values: number[]): number => percentile(values, 50);
    if (advice.builtMs !== undefined) rows.push({ measure: 'advice workload fixture built (2.7 M rows, generate_series)', value: `${(advice.builtMs / 1000).toFixed(1)} s`, target: '< 60 s', ok: advice.builtMs < 60_000 });
    const p95 = percentile(advice.perStatement, 95);
    rows.push({ measure: `index advice per statement, warm connection, 28 workload queries (p95 of ${advice.perStatement.length})`, value: ms(p95), target: '≤ 50 ms', ok: p95 <= 50 });
    rows.push({ measure: '  the same, median', value: ms(median(advice.perStatement)), target: '—' });
    rows.push({ measure: '  schema snapshot of the workload database (for the hints)', value: ms(advice.snapshotMs), target: '—' });
    rows.push({ measure: '`pglens advise --db` on one statement, wall (median of 5)', value: ms(median(advice.adviseWallMs)), target: '≤ 500 ms', ok: median(advice.adviseWallMs) <= 500 });
    rows.push({ measure: '`pglens explain --db` on one statement, wall (median of 5)', value: ms(median(advice.explainWallMs)), target: '—' });
    rows.push({ measure: '`pglens check --no-schema` on an empty file, wall (median of 5)', value: ms(median(advice.checkWallMs)), target: '—' });
  } catch (error) {
    rows.push({ measure: `index advice: no server at ${url.replace(/:[^:@/]*@/, ':***@')} (${(error as Error).message})`, value: 'skipped', target: '≤ 50 ms' });
  }
}

function printTable(): void {
  const header: Row = { measure: 'measure', value: 'value', target: 'target' };
  const width = (key: keyof Omit<Row, 'ok'>): number => Math.max(...[header, ...rows].map((row) => row[key].length));
  const line = (row: Row): string =>
    `| ${row.measure.padEnd(width('measure'))} | ${row.value.padStart(width('value'))} | ${row.target.padEnd(width('target'))} | ${row.ok === undefined ? '  ' : row.ok ? 'ok' : 'NO'} |`;
  console.log(line(header).replace(/\| {3}\|$/, '|    |'));
  console.log(`|${'-'.repeat(width('measure') + 2)}|${'-'.repeat(width('value') + 2)}|${'-'.repeat(width('target') + 2)}|----|`);
  for (const row of rows) console.log(line(row));
}

async function main(): Promise<void> {
  // `node dist/bench.js --erd`: only the ER diagram's figures.
  if (process.argv.includes('--erd')) {
    rows.push(...(await benchErd()));
    return printTable();
  }
  await loadParser();
  const dist = __dirname;
  const text = generateMigration(10_000);
  console.log(`pglens bench — node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}\n`);
  await parseThroughput(text);
  editInProcess(text);
  rulesOnBigMigration(text);
  await editOverLsp(text, path.join(dist, 'server.js'));
  checkThousandFiles(path.join(dist, 'cli.js'));
  rows.push(...benchRealRepos(path.join(dist, 'cli.js')));
  await firstDiagnostics(path.join(dist, 'server.js'));
  await schemaFigures();
  rows.push(...(await benchPlanParse()), ...(await benchPlanDraw()), ...(await benchDiff()), ...(await benchErd()));
  await adviceFigures(path.join(dist, 'cli.js'));
  printTable();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
