import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { QUERIES } from '../../server/src/schema/queries';

const root = path.join(__dirname, '../..');

describe('server/src/schema/queries.generated.ts', () => {
  it('is up to date with server/src/schema/queries/*.sql (run node scripts/build-queries.mjs)', () => {
    const result = spawnSync(process.execPath, [path.join(root, 'scripts/build-queries.mjs'), '--stdout'], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    const current = fs.readFileSync(path.join(root, 'server/src/schema/queries.generated.ts'), 'utf8');
    expect(current === result.stdout, 'queries.generated.ts is stale: run node scripts/build-queries.mjs').toBe(true);
  });

  it('has one query per .sql file', () => {
    const files = fs
      .readdirSync(path.join(root, 'server/src/schema/queries'))
      .filter((file) => file.endsWith('.sql'))
      .map((file) => file.slice(0, -4))
      .sort();
    expect(Object.keys(QUERIES).sort()).toEqual(files);
    for (const text of Object.values(QUERIES)) expect(text).toMatch(/\bSELECT\b/);
  });
});
