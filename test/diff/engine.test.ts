/** The diff engine on plain snapshots: ordering, safe forms, hazards, renames, scripts, speed. */
import { describe, expect, it } from 'vitest';
import type { SchemaSnapshot } from '../../protocol/schema';
import { diffSchemas, renderScript } from '../../server/src/diff';
import { references } from '../../server/src/diff/context';
import { typeChangeHazard } from '../../server/src/diff/columns';
import { bigSnapshot, column, emptySnapshot, table, view } from './synthetic';

function withTables(...tables: ReturnType<typeof table>[]): SchemaSnapshot {
  return { ...emptySnapshot(), tables };
}

const statements = (current: SchemaSnapshot, desired: SchemaSnapshot, options = {}) =>
  diffSchemas(current, desired, options).changes.flatMap((c) => c.statements);

describe('diffSchemas', () => {
  it('finds nothing between a snapshot and itself, and ignores sizes, row estimates, fingerprints and PG 18 not-null constraints', () => {
    const a = bigSnapshot(50);
    const b = structuredClone(a);
    b.fingerprint = 'other';
    b.serverVersionNum = 180000;
    b.source = 'pglite';
    b.tables[0].rowEstimate = 1234;
    b.tables[0].totalBytes = 99999;
    b.tables[0].indexes[0].bytes = 8192;
    b.tables[0].constraints.push({ name: 't0_id_not_null', kind: 'not null', columns: ['id'], definition: 'NOT NULL id', validated: true });
    expect(diffSchemas(a, b).changes).toEqual([]);
  });

  it('creates tables before their foreign keys and indexes, and drops in reverse order', () => {
    const desired = bigSnapshot(3);
    const up = statements(emptySnapshot(), desired);
    const firstFk = up.findIndex((s) => s.includes('FOREIGN KEY'));
    const lastCreate = up.map((s) => s.startsWith('CREATE TABLE')).lastIndexOf(true);
    expect(lastCreate).toBeLessThan(firstFk);
    expect(up.findIndex((s) => s.includes('PRIMARY KEY'))).toBeLessThan(firstFk);
    // New tables are empty: no CONCURRENTLY, no NOT VALID.
    expect(up.join('\n')).not.toMatch(/CONCURRENTLY|NOT VALID/);
    const down = statements(desired, emptySnapshot());
    expect(down.findIndex((s) => s.startsWith('DROP VIEW'))).toBeLessThan(down.findIndex((s) => s.startsWith('DROP TABLE')));
    // Foreign keys between dropped tables go before the tables.
    expect(down.map((s) => s.includes('DROP CONSTRAINT')).lastIndexOf(true)).toBeLessThan(down.findIndex((s) => s.startsWith('DROP TABLE')));
  });

  it('uses the safe forms on existing tables, and plain ones with safe: false', () => {
    const current = withTables(table('public', 't', [column('a', 'integer'), column('b', 'integer')]));
    const desired = structuredClone(current);
    const t = desired.tables[0];
    t.columns[0].nullable = false;
    t.constraints.push({ name: 'b_pos', kind: 'check', columns: ['b'], definition: 'CHECK ((b > 0))', validated: true });
    t.indexes.push({ name: 't_b', columns: ['b'], unique: false, primary: false, valid: true, method: 'btree', definition: 'CREATE INDEX t_b ON public.t USING btree (b)', bytes: 0 });
    const diff = diffSchemas(current, desired);
    const script = renderScript(diff);
    expect(script.startsWith("SET lock_timeout = '5s';\n")).toBe(true);
    expect(script).toContain('ALTER TABLE "public"."t" ADD CONSTRAINT "a_not_null_pglens" CHECK ("a" IS NOT NULL) NOT VALID;');
    expect(script).toContain('ALTER TABLE "public"."t" ADD CONSTRAINT "b_pos" CHECK ((b > 0)) NOT VALID;\nALTER TABLE "public"."t" VALIDATE CONSTRAINT "b_pos";');
    expect(script).toContain('CREATE INDEX CONCURRENTLY t_b ON public.t USING btree (b);');
    expect(diff.changes.find((c) => c.statements[0].includes('CONCURRENTLY'))?.transactional).toBe(false);

    const plain = renderScript(diffSchemas(current, desired, { safe: false }));
    expect(plain).not.toMatch(/lock_timeout|CONCURRENTLY|NOT VALID/);
    expect(plain).toContain('ALTER TABLE "public"."t" ALTER COLUMN "a" SET NOT NULL;');
  });

  it('lists hazards: dropped tables and columns, narrowing and rewriting type changes', () => {
    const current = withTables(
      table('public', 'gone', [column('x', 'integer')]),
      table('public', 't', [column('a', 'bigint'), column('b', 'character varying(50)'), column('c', 'integer'), column('d', 'text')]),
    );
    const desired = withTables(table('public', 't', [column('a', 'integer'), column('b', 'character varying(80)'), column('c', 'text')]));
    const hazards = diffSchemas(current, desired).hazards;
    expect(hazards.map((h) => `${h.kind} ${h.object}`).sort()).toEqual(['data loss public.gone', 'data loss public.t.d', 'narrowing type public.t.a', 'rewrite public.t.c']);
  });

  it('says when a composite type used by a column cannot be altered, and diffs grants unless told not to', () => {
    const current: SchemaSnapshot = {
      ...withTables(table('public', 'p', [column('home', 'public.address')], { acl: ['postgres=arwdDxt/postgres'] })),
      types: [{ schema: 'public', name: 'address', kind: 'composite', attributes: [{ name: 'street', type: 'text' }] }],
    };
    const desired = structuredClone(current);
    desired.types[0].attributes?.push({ name: 'zip', type: 'text' });
    desired.tables[0].acl = ['postgres=arwdDxt/postgres', 'reader=r/postgres'];
    const diff = diffSchemas(current, desired, { grants: false });
    expect(diff.hazards).toEqual([{ kind: 'unsupported', object: 'public.address', message: expect.stringContaining('public.p.home') as string }]);
    expect(diff.changes.flatMap((c) => c.statements)).toEqual(['ALTER TYPE "public"."address" ADD ATTRIBUTE "zip" text CASCADE']);
    expect(diffSchemas(current, desired).changes.flatMap((c) => c.statements)).toContain('GRANT SELECT ON TABLE "public"."p" TO "reader"');
  });

  it('classifies type changes', () => {
    expect(typeChangeHazard('x', 'character varying(20)', 'character varying(40)')).toBeUndefined();
    expect(typeChangeHazard('x', 'character varying(20)', 'text')).toBeUndefined();
    expect(typeChangeHazard('x', 'numeric(10,2)', 'numeric(12,2)')).toBeUndefined();
    expect(typeChangeHazard('x', 'numeric(10,2)', 'numeric(10,1)')?.kind).toBe('narrowing type');
    expect(typeChangeHazard('x', 'bigint', 'smallint')?.kind).toBe('narrowing type');
    expect(typeChangeHazard('x', 'text', 'character varying(3)')?.kind).toBe('narrowing type');
    expect(typeChangeHazard('x', 'integer', 'bigint')?.kind).toBe('rewrite');
  });

  it('offers renames as candidates only, and renames when told', () => {
    const current = withTables(table('public', 'users', [column('id', 'integer'), column('name', 'text'), column('email', 'text')]));
    const renamedTable = withTables(table('public', 'accounts', [column('id', 'integer'), column('name', 'text'), column('email', 'text')]));
    const guess = diffSchemas(current, renamedTable);
    expect(guess.renameCandidates).toEqual([{ kind: 'table', from: 'public.users', to: 'public.accounts', similarity: 1 }]);
    expect(guess.changes.map((c) => c.kind).sort()).toEqual(['create table', 'drop table']);
    const told = diffSchemas(current, renamedTable, { renames: [{ kind: 'table', from: 'public.users', to: 'public.accounts' }] });
    expect(told.changes.flatMap((c) => c.statements)).toEqual(['ALTER TABLE "public"."users" RENAME TO "accounts"']);
    expect(told.hazards).toEqual([]);

    const renamedColumn = withTables(table('public', 'users', [column('id', 'integer'), column('full_name', 'text'), column('email', 'text')]));
    expect(diffSchemas(current, renamedColumn).renameCandidates).toEqual([
      { kind: 'column', table: 'public.users', from: 'name', to: 'full_name', similarity: expect.any(Number) as number },
    ]);
    // A column of another type is no candidate.
    const retyped = withTables(table('public', 'users', [column('id', 'integer'), column('full_name', 'integer'), column('email', 'text')]));
    expect(diffSchemas(current, retyped).renameCandidates).toEqual([]);
    const told2 = diffSchemas(current, renamedColumn, { renames: [{ kind: 'column', table: 'public.users', from: 'name', to: 'full_name' }] });
    expect(told2.changes.flatMap((c) => c.statements)).toEqual(['ALTER TABLE "public"."users" RENAME COLUMN "name" TO "full_name"']);
  });

  it('keeps foreign keys to a renamed table and renames its look-alike constraints and indexes', () => {
    const users = table('public', 'users', [column('id', 'integer', { nullable: false })]);
    users.constraints.push({ name: 'users_pkey', kind: 'primary key', columns: ['id'], definition: 'PRIMARY KEY (id)', validated: true });
    users.indexes.push({ name: 'users_pkey', columns: ['id'], unique: true, primary: true, valid: true, method: 'btree', definition: 'CREATE UNIQUE INDEX users_pkey ON public.users USING btree (id)', bytes: 0 });
    users.indexes.push({ name: 'users_id_idx', columns: ['id'], unique: false, primary: false, valid: true, method: 'btree', definition: 'CREATE INDEX users_id_idx ON public.users USING btree (id)', bytes: 0 });
    const posts = table('public', 'posts', [column('author', 'integer')]);
    posts.constraints.push({ name: 'posts_author_fkey', kind: 'foreign key', columns: ['author'], definition: 'FOREIGN KEY (author) REFERENCES public.users(id)', validated: true });
    const current = withTables(posts, users);
    const desired = structuredClone(current);
    const accounts = desired.tables[1];
    accounts.name = 'accounts';
    accounts.constraints[0].name = 'accounts_pkey';
    accounts.indexes[0] = { ...accounts.indexes[0], name: 'accounts_pkey', definition: 'CREATE UNIQUE INDEX accounts_pkey ON public.accounts USING btree (id)' };
    accounts.indexes[1] = { ...accounts.indexes[1], name: 'accounts_id_idx', definition: 'CREATE INDEX accounts_id_idx ON public.accounts USING btree (id)' };
    desired.tables[0].constraints[0].definition = 'FOREIGN KEY (author) REFERENCES public.accounts(id)';
    expect(statements(current, desired, { renames: [{ kind: 'table', from: 'public.users', to: 'public.accounts' }] })).toEqual([
      'ALTER TABLE "public"."users" RENAME TO "accounts"',
      'ALTER TABLE "public"."accounts" RENAME CONSTRAINT "users_pkey" TO "accounts_pkey"',
      'ALTER INDEX "public"."users_id_idx" RENAME TO "accounts_id_idx"',
    ]);
  });

  it('quotes every awkward name it renders', () => {
    const name = 'we"ird ' + 'ü'.repeat(20);
    const desired = withTables(table('My Schema', name, [column('select', 'integer'), column('a"b', 'text', { comment: "it's" })]));
    desired.schemas.push({ name: 'My Schema', owner: 'postgres' });
    const script = renderScript(diffSchemas(emptySnapshot(), desired));
    expect(script).toContain('CREATE SCHEMA "My Schema";');
    expect(script).toContain(`CREATE TABLE "My Schema"."we""ird ${'ü'.repeat(20)}" (\n  "select" integer,\n  "a""b" text\n);`);
    expect(script).toContain(`COMMENT ON COLUMN "My Schema"."we""ird ${'ü'.repeat(20)}"."a""b" IS 'it''s';`);
  });

  it('orders views over views, and recreates views over a retyped column', () => {
    const t = table('public', 't', [column('a', 'integer')]);
    const current: SchemaSnapshot = {
      ...withTables(t),
      views: [view('public', 'v2', ' SELECT a\n   FROM public.v1;', [column('a', 'integer')]), view('public', 'v1', ' SELECT a\n   FROM public.t;', [column('a', 'integer')])],
    };
    const up = statements(emptySnapshot(), current);
    expect(up.findIndex((s) => s.startsWith('CREATE VIEW "public"."v1"'))).toBeLessThan(up.findIndex((s) => s.startsWith('CREATE VIEW "public"."v2"')));
    const desired = structuredClone(current);
    desired.tables[0].columns[0].type = 'bigint';
    desired.views.forEach((v) => (v.columns[0].type = 'bigint'));
    const change = statements(current, desired);
    expect(change.filter((s) => s.startsWith('DROP VIEW'))).toEqual(['DROP VIEW "public"."v2"', 'DROP VIEW "public"."v1"']);
    const alter = change.findIndex((s) => s.includes('TYPE bigint'));
    expect(change.findIndex((s) => s.startsWith('DROP VIEW'))).toBeLessThan(alter);
    expect(change.findIndex((s) => s.startsWith('CREATE VIEW "public"."v1"'))).toBeGreaterThan(alter);
  });

  it('keeps a header comment to one line per item', () => {
    const desired = withTables(table('public', 'a\nDROP TABLE x; --', [column('id', 'integer')]));
    const script = renderScript(diffSchemas(emptySnapshot(), desired), { header: true });
    for (const line of script.split('\n').slice(0, 3)) if (line !== '') expect(line.startsWith('--') || line.startsWith('SET')).toBe(true);
  });

  it('compares across versions loosely: view qualifiers (PG 15 vs 16+) and extension versions', () => {
    const pg15: SchemaSnapshot = {
      ...withTables(table('public', 't', [column('a', 'integer')])),
      views: [view('public', 'v', ' SELECT t.a\n   FROM public.t\n  WHERE (t.a > 0);', [column('a', 'integer')])],
      extensions: [{ name: 'citext', schema: 'public', version: '1.6' }],
    };
    const pg18: SchemaSnapshot = { ...structuredClone(pg15), serverVersionNum: 180000, source: 'pglite' };
    pg18.views[0].definition = ' SELECT a\n   FROM public.t\n  WHERE (a > 0);';
    pg18.extensions[0].version = '1.8';
    expect(diffSchemas(pg15, pg18).changes).toEqual([]);
    // The same engine and version: compared exactly.
    const other = structuredClone(pg18);
    other.serverVersionNum = 150000;
    other.source = 'pg';
    expect(statements(pg15, other)).toEqual(['ALTER EXTENSION "citext" UPDATE TO \'1.8\'', 'CREATE OR REPLACE VIEW "public"."v" AS SELECT a\n   FROM public.t\n  WHERE (a > 0)']);
    // A real change still shows across versions.
    pg18.views[0].definition = ' SELECT a\n   FROM public.t\n  WHERE (a > 1);';
    expect(statements(pg15, pg18)).toEqual(['CREATE OR REPLACE VIEW "public"."v" AS SELECT a\n   FROM public.t\n  WHERE (a > 1)']);
  });

  it('reads qualified names out of catalog text', () => {
    expect([...references(' SELECT t.a\n   FROM public.t, "My Schema"."we""ird" w JOIN app.x ON true;')]).toEqual(
      expect.arrayContaining(['public\u0000t', 'My Schema\u0000we"ird', 'app\u0000x']),
    );
  });

  // Its time is measured in npm run bench (diff-bench: diffSchemas of two 1,000-table snapshots), not asserted here.
  it('diffs two 1,000-table schemas', () => {
    const current = bigSnapshot(1000);
    const desired = bigSnapshot(1000);
    for (let k = 0; k < 1000; k += 10) {
      desired.tables[k].columns.push(column('added', 'text'));
      desired.tables[k + 1].columns[3].type = 'bigint';
      desired.tables[k + 2].indexes.pop();
    }
    const diff = diffSchemas(current, desired);
    expect(diff.changes.length).toBe(300); // 100 added columns, 100 type changes, 100 dropped indexes
  });
});
