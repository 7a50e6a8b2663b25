import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverWorkspace } from '../../server/src/migrations/discover';
import { ServerBackend } from '../../server/src/shadow/server-backend';
import { ShadowSession, diskText } from '../../server/src/shadow/session';
import { loadParser } from '../../server/src/sql/parser';

const url = process.env.PGLENS_TEST_DATABASE_URL;
let root: string;

beforeAll(async () => {
  await loadParser();
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'pglens-own-tx-'));
  const write = (file: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  write('prisma/migrations/1_init/migration.sql', 'CREATE TABLE a (id bigint);\n');
  // Prisma runs each statement on its own: the file's BEGIN … COMMIT makes LOCK TABLE valid.
  write('prisma/migrations/2_lock/migration.sql', 'BEGIN;\nLOCK TABLE a IN SHARE ROW EXCLUSIVE MODE;\nALTER TABLE a ADD COLUMN note text;\nCOMMIT;\n');
  // Without one, PostgreSQL refuses it: 25P01.
  write('prisma/migrations/3_bare_lock/migration.sql', 'LOCK TABLE a IN SHARE ROW EXCLUSIVE MODE;\n');
});

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

describe.skipIf(!url)('a migration with its own BEGIN/COMMIT, replayed on PostgreSQL', () => {
  it('is not wrapped again, and its statements share its transaction', async () => {
    const [set] = discoverWorkspace(root).sets;
    expect(set.tool).toBe('prisma');
    const session = new ShadowSession(set, diskText, { backend: new ServerBackend({ connectionString: url }) });
    try {
      const findings = await session.replayAll();
      const codes = (name: string): string[] => (findings.get(set.files.find((file) => file.path.includes(name))!.path) ?? []).map((finding) => finding.code);
      expect(codes('2_lock')).toEqual([]);
      expect(codes('3_bare_lock')).toEqual(['25P01']);
    } finally {
      await session.close();
    }
  }, 120_000);
});
