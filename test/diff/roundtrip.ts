/**
 * The round-trip harness shared by the real-server and PGlite suites. A case is a file in
 * test/fixtures/diff/ with `-- current` and `-- desired` sections (and optional `-- options: {json}`,
 * `-- expect up: <text>`, `-- expect hazard: <kind>`, `-- expect candidate: <from> -> <to>` lines).
 * For each: build both, snapshot both, diff current → desired, apply it to current, re-diff against
 * desired (must be empty); then diff back and apply (must restore current).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect } from 'vitest';
import type { SchemaSnapshot } from '../../protocol/schema';
import type { Database } from '../../server/src/db/port';
import { quoteIdent } from '../../server/src/sql/quote';
import { diffSchemas, renderScript } from '../../server/src/diff';
import type { DiffOptions, RenameDecision, SchemaDiff } from '../../server/src/diff';
import { compareFacts, describeDifference, loadCatalogFacts } from '../../server/src/catalog-facts';
import { loadSnapshot } from '../../server/src/schema/snapshot';

export const FIXTURE_DIR = path.join(__dirname, '../fixtures/diff');
/** A role the cases may grant to or write policies for; created by each suite, on both sides. */
export const CASE_ROLE = 'pglens_diff_reader';

export interface DiffCase {
  name: string;
  current: string;
  desired: string;
  options: DiffOptions;
  expectUp: string[];
  expectHazards: string[];
  expectCandidates: string[];
  /**
   * `-- expect unsupported: <text>`: a change pglens does not make yet. The case passes when that gap is
   * reported, never dropped: the up script fails, or the independent catalog comparison after it finds
   * a difference containing the text (what makes verification fail and the CLI list it).
   */
  expectUnsupported: string[];
  /** `-- engines: pg` to run a case on one engine only (say why in the file). */
  engines: Array<'pg' | 'pglite'>;
}

export function loadCases(): DiffCase[] {
  return fs
    .readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((file) => parseCase(file.slice(0, -4), fs.readFileSync(path.join(FIXTURE_DIR, file), 'utf8')));
}

export function parseCase(name: string, text: string): DiffCase {
  const result: DiffCase = { name, current: '', desired: '', options: {}, expectUp: [], expectHazards: [], expectCandidates: [], expectUnsupported: [], engines: ['pg', 'pglite'] };
  let section: 'current' | 'desired' | undefined;
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '-- current') section = 'current';
    else if (trimmed === '-- desired') section = 'desired';
    else if (trimmed.startsWith('-- options:')) result.options = JSON.parse(trimmed.slice('-- options:'.length)) as DiffOptions;
    else if (trimmed.startsWith('-- expect up:')) result.expectUp.push(trimmed.slice('-- expect up:'.length).trim());
    else if (trimmed.startsWith('-- expect hazard:')) result.expectHazards.push(trimmed.slice('-- expect hazard:'.length).trim());
    else if (trimmed.startsWith('-- expect unsupported:')) result.expectUnsupported.push(trimmed.slice('-- expect unsupported:'.length).trim());
    else if (trimmed.startsWith('-- expect candidate:')) result.expectCandidates.push(trimmed.slice('-- expect candidate:'.length).trim());
    else if (trimmed.startsWith('-- engines:')) result.engines = trimmed.slice('-- engines:'.length).trim().split(/[ ,]+/) as DiffCase['engines'];
    else if (section) result[section] += `${line}\n`;
  }
  return result;
}

/** The renames of the way back: from and to swapped. */
function reversed(renames: RenameDecision[] | undefined): RenameDecision[] | undefined {
  return renames?.map((r) => (r.kind === 'table' ? { kind: 'table', from: r.to, to: r.from } : { kind: 'column', table: r.table, from: r.to, to: r.from }));
}

/**
 * Applies a diff as a migration tool would: consecutive transactional changes in one transaction,
 * non-transactional ones (CREATE INDEX CONCURRENTLY, ALTER TYPE … ADD VALUE) on their own.
 */
export async function apply(db: Database, diff: SchemaDiff): Promise<void> {
  let batch: string[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    await db.exec(`BEGIN;\n${batch.map((s) => `${s};`).join('\n')}\nCOMMIT;`).catch(async (error: unknown) => {
      await db.exec('ROLLBACK').catch(() => undefined);
      throw error;
    });
    batch = [];
  };
  if (diff.safe && diff.changes.length > 0) batch.push("SET lock_timeout = '5s'");
  for (const change of diff.changes) {
    if (change.transactional) batch.push(...change.statements);
    else {
      await flush();
      for (const statement of change.statements) await db.exec(statement);
    }
  }
  await flush();
}

/**
 * Empties a database between cases: extensions and user schemas dropped, `public` created again. Each
 * suite works in its own pair of fresh databases; creating and dropping a pair per case costs ~1 s
 * on the server (measured), over the whole time budget for 90 cases.
 */
export async function reset(db: Database): Promise<void> {
  const { rows: extensions } = await db.query<{ name: string }>("SELECT extname AS name FROM pg_extension WHERE extname <> 'plpgsql'");
  for (const { name } of extensions) await db.exec(`DROP EXTENSION ${quoteIdent(name)} CASCADE`);
  const { rows: publications } = await db.query<{ name: string }>('SELECT pubname AS name FROM pg_publication');
  for (const { name } of publications) await db.exec(`DROP PUBLICATION ${quoteIdent(name)}`);
  // Global default privileges outlive the schemas: each non-owner grantee's are revoked and the
  // built-in PUBLIC privileges granted back (a schema's own entries go with the schema).
  const { rows: defaults } = await db.query<{ role: string; type: string; grantee: string }>(
    `SELECT pg_get_userbyid(d.defaclrole) AS role, CASE d.defaclobjtype WHEN 'r' THEN 'TABLES' WHEN 'S' THEN 'SEQUENCES' WHEN 'f' THEN 'FUNCTIONS' WHEN 'T' THEN 'TYPES' ELSE 'SCHEMAS' END AS type,
       CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END AS grantee
     FROM pg_default_acl d, aclexplode(d.defaclacl) a WHERE d.defaclnamespace = 0 AND a.grantee <> d.defaclrole`,
  );
  for (const { role, type, grantee } of defaults) await db.exec(`ALTER DEFAULT PRIVILEGES FOR ROLE ${quoteIdent(role)} REVOKE ALL ON ${type} FROM ${grantee}`);
  const { rows: owners } = await db.query<{ role: string }>('SELECT DISTINCT pg_get_userbyid(defaclrole) AS role FROM pg_default_acl WHERE defaclnamespace = 0');
  for (const { role } of owners) {
    await db.exec(`ALTER DEFAULT PRIVILEGES FOR ROLE ${quoteIdent(role)} GRANT EXECUTE ON FUNCTIONS TO PUBLIC`);
    await db.exec(`ALTER DEFAULT PRIVILEGES FOR ROLE ${quoteIdent(role)} GRANT USAGE ON TYPES TO PUBLIC`);
  }
  const { rows } = await db.query<{ name: string }>("SELECT nspname AS name FROM pg_namespace WHERE nspname <> 'information_schema' AND nspname NOT LIKE 'pg\\_%'");
  await db.exec(`${rows.map(({ name }) => `DROP SCHEMA ${quoteIdent(name)} CASCADE;`).join('\n')}\nCREATE SCHEMA public;`);
}

const snapshot = (db: Database) => loadSnapshot(db, { details: true });

/** The independent check: the two databases' catalog facts, differences one per line (empty when equal). */
async function factDifferences(actual: Database, expected: Database | Awaited<ReturnType<typeof loadCatalogFacts>>): Promise<string[]> {
  const expectedFacts = Array.isArray(expected) ? expected : await loadCatalogFacts(expected);
  return compareFacts(await loadCatalogFacts(actual), expectedFacts).flatMap((d) => describeDifference(d, { first: 'the migrated database', second: 'the target' }));
}

function describeDiff(diff: SchemaDiff): string {
  return diff.changes.length === 0 ? '(empty)' : renderScript(diff);
}

/** Runs one case on a pair of fresh databases (`current`, `desired`) of the same engine. */
export async function runCase(c: DiffCase, current: Database, desired: Database): Promise<void> {
  if (c.current.trim()) await current.exec(c.current);
  if (c.desired.trim()) await desired.exec(c.desired);
  const before: SchemaSnapshot = await snapshot(current);
  const target: SchemaSnapshot = await snapshot(desired);
  const beforeFacts = await loadCatalogFacts(current);
  const { renames, ...plain } = c.options;
  expect(describeDiff(diffSchemas(before, before, plain)), 'diff(current, current)').toBe('(empty)');
  expect(describeDiff(diffSchemas(target, target, plain)), 'diff(desired, desired)').toBe('(empty)');

  const up = diffSchemas(before, target, c.options);
  if (c.expectUnsupported.length > 0) return expectReported(c, current, desired, up);
  expect(up.changes.length, 'the cases all change something').toBeGreaterThan(0);
  const upScript = renderScript(up);
  for (const text of c.expectUp) expect(upScript, 'expected in the up script').toContain(text);
  for (const kind of c.expectHazards) expect(up.hazards.map((h) => h.kind), `hazards of\n${upScript}`).toContain(kind);
  for (const candidate of c.expectCandidates) {
    expect(up.renameCandidates.map((r) => `${r.table ? `${r.table}: ` : ''}${r.from} -> ${r.to}`), 'rename candidates').toContain(candidate);
  }
  try {
    await apply(current, up);
  } catch (error) {
    throw new Error(`up failed: ${(error as Error).message}\n${upScript}`);
  }
  const afterUp = await snapshot(current);
  expect(describeDiff(diffSchemas(afterUp, target, plain)), `after up:\n${upScript}`).toBe('(empty)');
  expect(await factDifferences(current, desired), `catalog facts after up:\n${upScript}`).toEqual([]);

  const down = diffSchemas(target, before, { ...plain, renames: reversed(renames) });
  const downScript = renderScript(down);
  try {
    await apply(current, down);
  } catch (error) {
    throw new Error(`down failed: ${(error as Error).message}\n${downScript}`);
  }
  const afterDown = await snapshot(current);
  expect(describeDiff(diffSchemas(afterDown, before, plain)), `after down:\n${downScript}`).toBe('(empty)');
  expect(await factDifferences(current, beforeFacts), `catalog facts after down:\n${downScript}`).toEqual([]);
}

/** An unsupported change is reported: up fails, or the catalog facts after up name the gap. */
async function expectReported(c: DiffCase, current: Database, desired: Database, up: SchemaDiff): Promise<void> {
  try {
    await apply(current, up);
  } catch (error) {
    expect(String((error as Error).message), 'up fails').not.toBe('');
    return;
  }
  const differences = (await factDifferences(current, desired)).join('\n');
  for (const text of c.expectUnsupported) expect(differences, `catalog facts after up:\n${renderScript(up)}`).toContain(text);
}
