import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkText } from '../../server/src/features/check';
import { loadParser } from '../../server/src/sql/parser';
import { LineIndex } from '../../server/src/text/offsets';
import { TEST_DATABASE_URL, connectTestDatabase } from './database';

interface ServerError {
  code: string;
  message: string;
  /** 1-based character position, as PostgreSQL reports it. */
  position?: string;
}

/** The invalid corpus, one statement each, with non-ASCII text before many of the errors. */
function invalidStatements(): string[] {
  const directory = path.join(__dirname, '../fixtures/corpus/invalid');
  return fs
    .readdirSync(directory)
    .filter((file) => file.endsWith('.sql'))
    .flatMap((file) =>
      fs
        .readFileSync(path.join(directory, file), 'utf8')
        .split(/^-- error: .*$/m)
        .map((statement) => statement.trim())
        .filter(Boolean),
    );
}

describe.skipIf(!TEST_DATABASE_URL)('libpg-query agrees with the real PostgreSQL server', () => {
  let client: Client;

  beforeAll(async () => {
    await loadParser();
    client = await connectTestDatabase();
  });

  afterAll(async () => {
    await client?.end();
  });

  /** Sends a statement that cannot parse; a read-only transaction, rolled back, in case it could. */
  async function serverError(sql: string): Promise<ServerError | undefined> {
    await client.query('BEGIN READ ONLY');
    try {
      await client.query(sql);
      return undefined;
    } catch (error) {
      return error as ServerError;
    } finally {
      await client.query('ROLLBACK');
    }
  }

  it('reports the same message at the same character for syntax errors', async () => {
    const statements = invalidStatements();
    expect(statements.length).toBeGreaterThanOrEqual(100);
    let agreeing = 0;
    const disagreements: string[] = [];
    for (const sql of statements) {
      const server = await serverError(sql);
      const [finding] = checkText(sql);
      expect(finding, sql).toBeDefined();
      // PostgreSQL 15 on the server, 18 in libpg-query: grammar differences are listed, not hidden.
      if (!server || server.code !== '42601' || server.message !== finding.message) {
        disagreements.push(`${sql.slice(0, 60)} → server: ${server?.message ?? 'accepted'} / pglens: ${finding.message}`);
        continue;
      }
      agreeing++;
      if (server.position !== undefined) {
        // Server positions count characters (code points) from 1; ours are UTF-16 ranges.
        const offset = new LineIndex(sql).offsetAt(finding.range.start);
        const codePoints = [...sql.slice(0, offset)].length;
        const atEnd = /at end of input/.test(server.message);
        if (!atEnd) expect(codePoints + 1, sql).toBe(Number(server.position));
      }
    }
    expect(agreeing / statements.length, disagreements.join('\n')).toBeGreaterThan(0.9);
  });
});
