/**
 * Captures the plan corpus in test/fixtures/plans from the local PostgreSQL 15 (through psql, so the
 * TEXT files carry psql's real frame) and from PGlite (PostgreSQL 18). Skipped unless CAPTURE_PLANS=1:
 *
 *   CAPTURE_PLANS=1 PGLENS_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
 *     npx vitest run test/plans/capture.test.ts
 *
 * Each query is run twice from the same state, `EXPLAIN (<options>)` then `EXPLAIN (<options>, FORMAT
 * JSON)`, after one warm-up run, and saved as `<source>-<NN>-<name>.txt` / `.json`. PGlite's TEXT is its
 * rows joined by newlines; every other PGlite file is wrapped in a psql-style frame (`psqlFrame`).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'vitest';
import { PgliteDatabase } from '../../server/src/db/pglite';
import type { CaptureQuery } from './capture-queries';
import { QUERIES, setupSql } from './capture-queries';

const OUT = path.join(__dirname, '..', 'fixtures', 'plans');
const enabled = process.env.CAPTURE_PLANS === '1';
const SCHEMA = `pglens_plan_capture_${process.pid}`;

function explain(query: CaptureQuery, json: boolean): string {
  const options = [query.options, json ? 'FORMAT JSON' : ''].filter(Boolean).join(', ');
  return options ? `EXPLAIN (${options}) ${query.sql}` : `EXPLAIN ${query.sql}`;
}

function script(query: CaptureQuery, statement: string): string {
  const lines = [`SET search_path = ${SCHEMA}`, ...(query.settings ?? [])].map((line) => `${line};`);
  if (query.rollback) lines.push('BEGIN;', `${statement};`, 'ROLLBACK;', `VACUUM ${query.rollback.join(', ')};`);
  else lines.push(`${statement};`);
  return lines.join('\n') + '\n';
}

/** psql's aligned format for a one-column result, as `psql` prints it (header centred, margin, footer). */
export function psqlFrame(rows: string[]): string {
  const header = 'QUERY PLAN';
  const width = Math.max(header.length, ...rows.map((row) => row.length));
  const before = Math.floor((width - header.length) / 2);
  const lines = [` ${' '.repeat(before)}${header}${' '.repeat(width - header.length - before)} `, '-'.repeat(width + 2)];
  for (const row of rows) lines.push(` ${row}`);
  lines.push(`(${rows.length} ${rows.length === 1 ? 'row' : 'rows'})`, '');
  return lines.join('\n');
}

function name(source: string, k: number, query: CaptureQuery): string {
  return path.join(OUT, `${source}-${String(k + 1).padStart(2, '0')}-${query.name}`);
}

describe.skipIf(!enabled)('capture plans', () => {
  it('captures from PostgreSQL 15 through psql', () => {
    const psql = (input: string): string =>
      execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-U', 'postgres', '-f', '-'], { input, encoding: 'utf8' });
    psql(setupSql(SCHEMA));
    try {
      QUERIES.forEach((query, k) => {
        if (query.only === 'pglite') return;
        // Warm-up run (and, for DML, the VACUUM after it) so that both captured runs start alike.
        psql(script(query, explain(query, false)));
        fs.writeFileSync(`${name('pg15', k, query)}.txt`, psql(script(query, explain(query, false))));
        fs.writeFileSync(`${name('pg15', k, query)}.json`, psql(script(query, explain(query, true))));
      });
    } finally {
      psql(`DROP SCHEMA ${SCHEMA} CASCADE;`);
    }
  }, 600_000);

  it('captures from PGlite', async () => {
    const db = await PgliteDatabase.open();
    try {
      await db.exec(setupSql(SCHEMA));
      const run = async (query: CaptureQuery, json: boolean): Promise<Array<Record<string, unknown>>> => {
        await db.exec(`SET search_path = ${SCHEMA}; ${(query.settings ?? []).map((line) => `${line};`).join(' ')}`);
        if (query.rollback) await db.exec('BEGIN');
        try {
          return (await db.query(explain(query, json))).rows;
        } finally {
          if (query.rollback) {
            await db.exec('ROLLBACK');
            await db.exec(`VACUUM ${query.rollback.join(', ')}`);
          }
          await db.exec('RESET ALL');
        }
      };
      for (const [k, query] of QUERIES.entries()) {
        if (query.only === 'pg15') continue;
        await run(query, false); // warm-up, as above
        const text = (await run(query, false)).map((row) => String(row['QUERY PLAN']));
        const json = (await run(query, true))[0]['QUERY PLAN'];
        const framed = k % 2 === 0;
        fs.writeFileSync(`${name('pglite', k, query)}.txt`, framed ? psqlFrame(text) : text.join('\n') + '\n');
        fs.writeFileSync(`${name('pglite', k, query)}.json`, (typeof json === 'string' ? json : JSON.stringify(json, null, 2)) + '\n');
      }
    } finally {
      await db.close();
    }
  }, 600_000);
});
