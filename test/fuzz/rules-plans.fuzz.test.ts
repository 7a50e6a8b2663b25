/**
 * The migration rules and the plan reader under fuzzed input: the rules never throw on any SQL a
 * migration may hold (real DDL pieces glued with the splitter's tricky pieces), and the plan reader
 * either reads a mangled real paste or refuses it with a PlanParseError — never another exception.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeDocument } from '../../server/src/document/analyze';
import { PlanParseError } from '../../server/src/plans/errors';
import { parsePlan } from '../../server/src/plans/parse';
import { lintDocument } from '../../server/src/rules/lint';
import { loadParser } from '../../server/src/sql/parser';
import { fuzzParameters, trickySql } from './arbitraries';

beforeAll(async () => {
  await loadParser();
});

/** Statements every rule has something to say about, with holes the fuzzer fills with names and junk. */
const ddl = [
  'CREATE TABLE %s (id serial PRIMARY KEY, v varchar(10), at timestamp, doc json, ref int REFERENCES %s (id))',
  'ALTER TABLE %s ADD COLUMN %s int NOT NULL',
  'ALTER TABLE %s ADD COLUMN %s text DEFAULT now()',
  'ALTER TABLE %s ALTER COLUMN %s TYPE bigint',
  'ALTER TABLE %s ALTER COLUMN %s SET NOT NULL',
  'ALTER TABLE %s ADD CONSTRAINT %s FOREIGN KEY (a) REFERENCES %s (id)',
  'ALTER TABLE %s ADD CONSTRAINT %s CHECK (a > 0)',
  'ALTER TABLE %s ADD CONSTRAINT %s UNIQUE (a)',
  'ALTER TABLE %s RENAME COLUMN %s TO %s',
  'ALTER TABLE %s RENAME TO %s',
  'ALTER TABLE %s DROP COLUMN %s',
  'ALTER TABLE %s DETACH PARTITION %s',
  'CREATE INDEX %s ON %s (a)',
  'CREATE INDEX CONCURRENTLY %s ON %s (a)',
  'DROP INDEX %s',
  'REINDEX TABLE %s',
  'DROP TABLE %s',
  'ALTER TYPE %s ADD VALUE %s',
  'ALTER TYPE %s RENAME VALUE %s TO %s',
  'CREATE POLICY %s ON %s USING (owner = current_user)',
  'ALTER TABLE %s ENABLE ROW LEVEL SECURITY',
  'CREATE FUNCTION %s() RETURNS int SECURITY DEFINER LANGUAGE sql AS $$ SELECT 1 $$',
  'CREATE VIEW %s AS SELECT * FROM %s',
  'SET lock_timeout = %s',
  'BEGIN',
  'COMMIT',
  'VACUUM FULL %s',
  'CLUSTER %s',
  'LOCK TABLE %s',
];
const names = fc.constantFrom('t', 'users', '"Order Items"', 'public.t', 's.x', '"a;b"', 'ü', '"select"', "'x'", '1', '');

const migration = fc
  .array(fc.oneof(fc.tuple(fc.constantFrom(...ddl), fc.array(names, { minLength: 3, maxLength: 3 })).map(([text, holes]) => holes.reduce((t, name) => t.replace('%s', name), text)), trickySql), { maxLength: 8 })
  .chain((statements) => fc.constantFrom(';\n', ';', ';\r\n', '\n').map((end) => statements.join(end)));

describe('rules under fuzzed migrations', () => {
  it('never throw, and every finding lies inside the document', () => {
    fc.assert(
      fc.property(migration, fc.constantFrom('goose', 'dbmate', 'flyway', 'supabase', 'plain'), fc.boolean(), (text, tool, transactional) => {
        const analysis = analyzeDocument(text);
        const findings = lintDocument(analysis, { isMigration: true, tool: tool as never, transactional, reuse: false });
        const lines = text.split(/\r\n|\r|\n/).length;
        for (const finding of findings) expect(finding.range.end.line).toBeLessThan(lines);
      }),
      fuzzParameters(),
    );
  });
});

const PASTES = path.join(__dirname, '../fixtures/plans-pasted/pev2');
const pastes = fs
  .readdirSync(PASTES, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('-plan'))
  .map((file) => fs.readFileSync(path.join(PASTES, file), 'utf8'));

/** A real paste with lines dropped, duplicated, cut short or given junk, as chats and terminals mangle them. */
const mangledPaste = fc.tuple(fc.constantFrom(...pastes), fc.array(fc.tuple(fc.nat(), fc.constantFrom('drop', 'dup', 'cut', 'junk', 'quote')), { maxLength: 6 }), fc.string({ maxLength: 12 })).map(([text, edits, junk]) => {
  const lines = text.split('\n');
  for (const [at, edit] of edits) {
    const k = at % Math.max(lines.length, 1);
    if (edit === 'drop') lines.splice(k, 1);
    else if (edit === 'dup') lines.splice(k, 0, lines[k] ?? '');
    else if (edit === 'cut') lines[k] = (lines[k] ?? '').slice(0, Math.floor((lines[k] ?? '').length / 2));
    else if (edit === 'junk') lines[k] = `${lines[k] ?? ''}${junk}`;
    else lines[k] = `'${lines[k] ?? ''}'`;
  }
  return lines.join('\n');
});

describe('plan reader under fuzzed pastes', () => {
  it('has real pastes to mangle', () => {
    expect(pastes.length).toBeGreaterThan(50);
  });

  it('reads a mangled paste or refuses it with a PlanParseError, nothing else', () => {
    fc.assert(
      fc.property(fc.oneof(mangledPaste, fc.string({ maxLength: 300 })), (text) => {
        try {
          const results = parsePlan(text);
          expect(Array.isArray(results)).toBe(true);
        } catch (error) {
          expect(error, String(error)).toBeInstanceOf(PlanParseError);
        }
      }),
      fuzzParameters(),
    );
  });
});
