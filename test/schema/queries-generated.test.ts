import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { QUERIES } from '../../server/src/schema/queries';

const root = path.join(__dirname, '../..');

describe('queries.generated.ts of the schema snapshot and of the catalog facts', () => {
  it('are up to date with their queries/*.sql (run node scripts/build-queries.mjs)', () => {
    const result = spawnSync(process.execPath, [path.join(root, 'scripts/build-queries.mjs'), '--check'], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
  });

  it('has one query per .sql file', () => {
    const files = fs
      .readdirSync(path.join(root, 'server/src/schema/queries'))
      .filter((file) => file.endsWith('.sql'))
      .map((file) => file.slice(0, -4).replace(/[-_.]+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase()))
      .sort();
    expect(Object.keys(QUERIES).sort()).toEqual(files);
    for (const text of Object.values(QUERIES)) expect(text).toMatch(/\bSELECT\b/);
  });
});
