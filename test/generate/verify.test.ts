/**
 * Verification on PGlite with hand-written up/down scripts, so that each way of failing is produced on
 * purpose: a statement PostgreSQL rejects, an up that leaves a difference, a down that does not restore.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SchemaSnapshot } from '../../protocol/schema';
import { diffSchemas } from '../../server/src/diff';
import type { Change, SchemaDiff } from '../../server/src/diff';
import { openEmbedded } from '../../server/src/shadow/embedded';
import { loadSource, resolveSource } from '../../server/src/generate/desired';
import { applySteps, verifyMigration } from '../../server/src/generate/verify';
import type { VerifyInput } from '../../server/src/generate/verify';
import { loadParser } from '../../server/src/sql/parser';
import { TEST_CACHE_DIR } from '../lsp/client';

const options = { cacheDir: TEST_CACHE_DIR };
const change = (kind: string, object: string, statements: string[], transactional = true): Change => ({ kind, object, statements, transactional });
const diffOf = (changes: Change[]): SchemaDiff => ({ changes, hazards: [], renameCandidates: [], safe: false });

const CREATE_B = change('create table', 'public.b', ['CREATE TABLE public.b (id bigint PRIMARY KEY, a_id bigint REFERENCES public.a (id))']);
const INDEX_B = change('create index', 'public.b_a_idx', ['CREATE INDEX CONCURRENTLY b_a_idx ON public.b (a_id)'], false);
const DROP_B = change('drop table', 'public.b', ['DROP TABLE public.b']);

describe('verifyMigration', () => {
  let root: string;
  let input: Omit<VerifyInput, 'up' | 'down'>;
  let desired: SchemaSnapshot;

  beforeAll(async () => {
    await loadParser();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'pglens-verify-'));
    fs.writeFileSync(path.join(root, 'current.sql'), 'CREATE TABLE public.a (id bigint PRIMARY KEY);\n');
    fs.writeFileSync(path.join(root, 'desired.sql'), 'CREATE TABLE public.a (id bigint PRIMARY KEY);\nCREATE TABLE public.b (id bigint PRIMARY KEY, a_id bigint REFERENCES public.a (id));\nCREATE INDEX b_a_idx ON public.b (a_id);\n');
    const current = resolveSource('current.sql', root);
    const loaded = await loadSource(resolveSource('desired.sql', root), options);
    desired = loaded.snapshot;
    input = { current, currentSnapshot: (await loadSource(current, options)).snapshot, desired, desiredFacts: loaded.facts };
  }, 60_000);

  it('passes a correct migration, running CONCURRENTLY outside a transaction', async () => {
    const report = await verifyMigration({ ...input, up: diffOf([CREATE_B, INDEX_B]), down: diffOf([DROP_B]) }, options);
    expect(report.up).toEqual({ status: 'passed', leftover: [] });
    expect(report.down).toEqual({ status: 'passed', leftover: [] });
    expect(report.status).toBe('passed');
    expect(report.shadow).toBe('embedded');
    expect(report.timings.totalMs).toBeGreaterThan(0);
    expect(report.notes.join(' ')).toContain('Data was not part of the check');
  }, 60_000);

  it('fails on a statement PostgreSQL rejects, and does not try down after it', async () => {
    const broken = change('create table', 'public.b', ['CREATE TABLE public.b (id bigint PRIMARY KEY, a_id bigint REFERENCES public.missing (id))']);
    const report = await verifyMigration({ ...input, up: diffOf([broken]), down: diffOf([DROP_B]) }, options);
    expect(report.status).toBe('failed');
    expect(report.up.status).toBe('failed');
    expect(report.up.error?.message).toBe('42P01 relation "public.missing" does not exist');
    expect(report.up.error?.statement).toContain('public.missing');
    expect(report.down.status).toBe('not verified');
  }, 60_000);

  it('fails when up leaves a difference (an index missing)', async () => {
    const report = await verifyMigration({ ...input, up: diffOf([CREATE_B]), down: diffOf([DROP_B]) }, options);
    expect(report.status).toBe('failed');
    expect(report.up.status).toBe('failed');
    expect(report.up.leftover.join('\n')).toMatch(/b_a_idx/);
    expect(report.down.status).toBe('passed');
  }, 60_000);

  it('fails when down does not restore current', async () => {
    const report = await verifyMigration({ ...input, up: diffOf([CREATE_B, INDEX_B]), down: diffOf([]) }, options);
    expect(report.up.status).toBe('passed');
    expect(report.down.status).toBe('failed');
    expect(report.down.leftover.join('\n')).toMatch(/public\.b/);
    expect(report.status).toBe('failed');
  }, 60_000);

  it('fails, through the independent catalog comparison, when up misses what the snapshot cannot see (a publication)', async () => {
    fs.writeFileSync(path.join(root, 'published.sql'), `${fs.readFileSync(path.join(root, 'desired.sql'), 'utf8')}CREATE PUBLICATION pglens_pub FOR TABLE public.b;\n`);
    const published = await loadSource(resolveSource('published.sql', root), options);
    // The snapshots agree (the diff engine does not know publications) …
    expect(diffSchemas(published.snapshot, desired).changes).toEqual([]);
    // … the catalog facts do not.
    const report = await verifyMigration({ ...input, desired: published.snapshot, desiredFacts: published.facts, up: diffOf([CREATE_B, INDEX_B]), down: diffOf([DROP_B]) }, options);
    expect(report.up.status).toBe('failed');
    expect(report.up.leftover).toEqual([
      'publication pglens_pub: all tables f insert t update t delete t truncate t (only in the target)',
      'publication pglens_pub: table public.b (only in the target)',
    ]);
    expect(report.down.status).toBe('passed');
  }, 60_000);

  it('says why it cannot verify when the current SQL does not build', async () => {
    fs.writeFileSync(path.join(root, 'gone.sql'), 'CREATE TABLE public.a (id bigint PRIMARY KEY);\n');
    const current = resolveSource('gone.sql', root);
    const currentSnapshot = (await loadSource(current, options)).snapshot;
    fs.writeFileSync(path.join(root, 'gone.sql'), 'CREATE TABLE public.a (id bigint REFERENCES nowhere);\n');
    const report = await verifyMigration({ current, currentSnapshot, desired, up: diffOf([CREATE_B]), down: diffOf([DROP_B]) }, options);
    expect(report.status).toBe('not verified');
    expect(report.up.reason).toMatch(/gone\.sql:1:\d+: 42P01/);
  }, 60_000);
});

describe('applySteps', () => {
  it('runs transactional runs in a transaction and the rest on their own, and reports the first rejected statement', async () => {
    const db = await openEmbedded({ cacheDir: TEST_CACHE_DIR });
    try {
      const failure = await applySteps(db, [
        { sql: 'CREATE TABLE t (id int)', transactional: true },
        { sql: 'CREATE INDEX CONCURRENTLY t_idx ON t (id)', transactional: false },
        { sql: 'CREATE TABLE u (id int)', transactional: true },
        { sql: 'CREATE TABLE u (id int)', transactional: true },
      ]);
      expect(failure).toEqual({ statement: 'CREATE TABLE u (id int)', message: '42P07 relation "u" already exists' });
      // The failed transaction was rolled back whole; what ran before it stays.
      const { rows } = await db.query<{ relname: string }>("SELECT relname FROM pg_class WHERE relname IN ('t', 't_idx', 'u') ORDER BY 1");
      expect(rows.map((row) => row.relname)).toEqual(['t', 't_idx']);
    } finally {
      await db.close();
    }
  }, 60_000);
});
