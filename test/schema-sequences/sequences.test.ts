import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../protocol/findings';
import type { Database } from '../../server/src/db/port';
import type { MigrationSet } from '../../server/src/migrations/discover';
import type { ShadowBackend } from '../../server/src/shadow/backend';
import { openEmbedded } from '../../server/src/shadow/embedded';
import { ServerBackend } from '../../server/src/shadow/server-backend';
import { ShadowSession, diskText } from '../../server/src/shadow/session';
import { loadParser } from '../../server/src/sql/parser';
import { LineIndex } from '../../server/src/text/offsets';
import { TEST_DATABASE_URL } from '../integration/database';
import { TEST_CACHE_DIR } from '../lsp/client';

/**
 * Migration sequences with injected mistakes (unknown table or column, duplicate column, wrong
 * foreign-key target, default of the wrong type, dropping what does not exist, using what an
 * earlier migration dropped, creating what an earlier one created). Each `broken/` file marks the
 * error it must produce right after the statement:
 *   -- error <SQLSTATE> at "<underlined text, verbatim>": <message>
 * and each `clean/` version must produce nothing.
 */
const ROOT = path.join(__dirname, '../fixtures/schema-sequences');
const sequences = fs.readdirSync(ROOT).filter((name) => fs.statSync(path.join(ROOT, name)).isDirectory()).sort();

interface Expected {
  code: string;
  token: string;
  message: string;
}

function migrationSet(directory: string): MigrationSet {
  const files = fs
    .readdirSync(directory)
    .filter((name) => name.endsWith('.sql'))
    .sort()
    .map((name) => {
      const file = path.join(directory, name);
      return { path: file, version: name.split('_')[0], name, up: [{ start: 0, end: fs.readFileSync(file, 'utf8').length }], transactional: false };
    });
  return { tool: 'plain', directory, files };
}

function expectedIn(file: string): Expected[] {
  return [...fs.readFileSync(file, 'utf8').matchAll(/^-- error (\w{5}) at "(.*?)": (.*)$/gm)].map((match) => ({ code: match[1], token: match[2], message: match[3] }));
}

function actual(file: string, findings: Finding[]): Expected[] {
  const text = fs.readFileSync(file, 'utf8');
  const index = new LineIndex(text);
  return findings.map((finding) => ({
    code: finding.code,
    token: text.slice(index.offsetAt(finding.range.start), index.offsetAt(finding.range.end)),
    message: finding.message.split('\n')[0],
  }));
}

/** One database for every sequence: each is checked inside a transaction that is rolled back. */
class SharedBackend implements ShadowBackend {
  readonly name = 'shared';
  constructor(private readonly db: Database) {}
  async open(): Promise<{ db: Database }> {
    return { db: this.db };
  }
  async discard(): Promise<void> {}
}

function describeSequences(label: string, openDatabase: () => Promise<{ db: Database; close: () => Promise<void> }>): void {
  describe(label, () => {
    let backend: SharedBackend;
    let close: () => Promise<void>;

    beforeAll(async () => {
      await loadParser();
      const opened = await openDatabase();
      backend = new SharedBackend(opened.db);
      close = opened.close;
    }, 120_000);

    afterAll(async () => {
      await close?.();
    });

    it('has at least 60 sequences', () => {
      expect(sequences.length).toBeGreaterThanOrEqual(60);
    });

    it.each(sequences)('%s: the clean version gives no diagnostics, the broken one each marked error on its token', async (sequence) => {
      const clean = await new ShadowSession(migrationSet(path.join(ROOT, sequence, 'clean')), diskText, { backend }).checkAll();
      for (const [file, findings] of clean) expect(actual(file, findings), file).toEqual([]);

      const broken = await new ShadowSession(migrationSet(path.join(ROOT, sequence, 'broken')), diskText, { backend }).checkAll();
      let marked = 0;
      for (const [file, findings] of broken) {
        const expected = expectedIn(file);
        marked += expected.length;
        expect(actual(file, findings), file).toEqual(expected);
      }
      expect(marked).toBeGreaterThan(0);
    });
  });
}

describeSequences('migration sequences on the embedded shadow (PGlite, PostgreSQL 18)', async () => {
  const db = await openEmbedded({ cacheDir: TEST_CACHE_DIR, extensions: ['pgcrypto', 'citext'] });
  return { db, close: () => db.close() };
});

describe.skipIf(!TEST_DATABASE_URL)('real server', () => {
  describeSequences('migration sequences on a scratch database of the real server (PostgreSQL 15)', async () => {
    const backend = new ServerBackend({ connectionString: TEST_DATABASE_URL });
    const { db } = await backend.open();
    return { db, close: () => backend.discard(db) };
  });
});
