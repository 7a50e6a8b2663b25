import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { MigrationSet } from '../../server/src/migrations/discover';
import { ShadowSession } from '../../server/src/shadow/session';

/** `count` plain migrations: a table each, with a foreign key to the previous one, an index, a comment. */
export function writeMigrations(directory: string, count: number): MigrationSet {
  fs.mkdirSync(directory, { recursive: true });
  const files = Array.from({ length: count }, (_, n) => {
    const file = path.join(directory, `${String(n + 1).padStart(4, '0')}_create_t${n}.sql`);
    const text = [
      `CREATE TABLE t${n} (`,
      '  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,',
      n > 0 ? `  parent_id bigint REFERENCES t${n - 1} (id),` : '  parent_id bigint,',
      '  name text NOT NULL,',
      "  status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'done')),",
      '  created_at timestamptz NOT NULL DEFAULT now()',
      ');',
      `CREATE INDEX t${n}_parent_idx ON t${n} (parent_id);`,
      `COMMENT ON TABLE t${n} IS 'table ${n}';`,
      '',
    ].join('\n');
    fs.writeFileSync(file, text);
    return { path: file, version: String(n + 1), name: `create_t${n}`, up: [{ start: 0, end: text.length }], transactional: false };
  });
  return { tool: 'plain', directory, files };
}

/** A migration of `statements` statements over the tables of `writeMigrations`. */
export function bigMigration(statements: number, tables: number): string {
  const lines: string[] = [];
  for (let k = 0; k < statements; k++) {
    const table = `t${k % tables}`;
    switch (k % 4) {
      case 0:
        lines.push(`ALTER TABLE ${table} ADD COLUMN extra_${k} integer;`);
        break;
      case 1:
        lines.push(`CREATE INDEX ${table}_name_${k}_idx ON ${table} (name, created_at);`);
        break;
      case 2:
        lines.push(`UPDATE ${table} SET status = 'done' WHERE created_at < now() - interval '30 days';`);
        break;
      default:
        lines.push(`CREATE VIEW v_${k} AS SELECT id, name FROM ${table} WHERE status = 'new';`);
    }
  }
  return lines.join('\n') + '\n';
}

export interface ShadowFigures {
  files: number;
  coldWithInitdbMs: number;
  coldMs: number;
  warmMs: number;
  /** Warm replay, then the first check that needs the database itself (it opens from the cache). */
  warmFirstCheckMs: number;
  diagnostics200: number[];
}

export async function benchShadow(files = 300): Promise<ShadowFigures> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pglens-shadow-bench-'));
  const set = writeMigrations(path.join(scratch, 'migrations'), files);
  const time = async (cacheDir: string): Promise<number> => {
    const start = performance.now();
    const session = new ShadowSession(set, undefined, { cacheDir });
    await session.replayAll();
    const elapsed = performance.now() - start;
    await session.close();
    return elapsed;
  };

  // Cold with initdb: an empty cache folder. Cold: the initialised base is cached, the replay is not.
  const coldWithInitdbMs = await time(path.join(scratch, 'cache-a'));
  for (const name of fs.readdirSync(path.join(scratch, 'cache-a'))) if (name.startsWith('replay-')) fs.rmSync(path.join(scratch, 'cache-a', name));
  const coldMs = await time(path.join(scratch, 'cache-a'));
  const warmMs = await time(path.join(scratch, 'cache-a'));
  const warmStart = performance.now();
  const warmSession = new ShadowSession(set, undefined, { cacheDir: path.join(scratch, 'cache-a') });
  await warmSession.replayAll();
  await warmSession.withFinalState(async (db) => db.query('SELECT count(*) FROM pg_class'));
  const warmFirstCheckMs = performance.now() - warmStart;
  await warmSession.close();

  // A 200-statement migration after 50 files, re-checked as it is edited.
  const editing = writeMigrations(path.join(scratch, 'editing'), 50);
  const file = path.join(editing.directory, '0051_big.sql');
  let text = bigMigration(200, 50);
  fs.writeFileSync(file, text);
  editing.files.push({ path: file, version: '51', name: 'big', up: [{ start: 0, end: 1e9 }], transactional: false });
  const session = new ShadowSession(editing, (target) => (target === file ? text : fs.readFileSync(target, 'utf8')), { cacheDir: path.join(scratch, 'cache-a') });
  await session.checkMigration(file); // builds the state before it
  const diagnostics200: number[] = [];
  for (let k = 0; k < 20; k++) {
    text = text.replace(/extra_0 /, `extra_0${k % 10} `);
    const start = performance.now();
    await session.checkMigration(file);
    diagnostics200.push(performance.now() - start);
  }
  await session.close();
  fs.rmSync(scratch, { recursive: true, force: true });
  return { files, coldWithInitdbMs, coldMs, warmMs, warmFirstCheckMs, diagnostics200 };
}
