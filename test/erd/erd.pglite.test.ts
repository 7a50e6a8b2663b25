import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { ErdModel } from '../../protocol/erd';
import { PgliteDatabase } from '../../server/src/db/pglite';
import { runPglens } from '../cli/run';
import { ERD_FIXTURE, catalogOracle, expectMatchesCatalog } from './fixture';

describe('pglens erd --format json from migrations replayed in PGlite, against PGlite\'s catalog', () => {
  let workspace = '';
  let db: PgliteDatabase | undefined;

  beforeAll(async () => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'pglens-erd-'));
    fs.mkdirSync(path.join(workspace, 'migrations'));
    fs.writeFileSync(path.join(workspace, 'migrations', '001_schema.sql'), ERD_FIXTURE);
    // The oracle: the same DDL in a PGlite of its own, read through the catalog directly.
    db = await PgliteDatabase.open();
    await db.exec(ERD_FIXTURE);
  }, 120_000);

  afterAll(async () => {
    await db?.close();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('has every relation, table, partition, parent and view the catalog has', async () => {
    const cacheDir = process.env.PGLENS_CACHE_DIR ?? path.join(workspace, '.cache');
    const result = runPglens(workspace, ['erd', '.', '--format', 'json', '--cache-dir', cacheDir]);
    if (result.code !== 0) throw new Error(result.stderr);
    expectMatchesCatalog(JSON.parse(result.stdout) as ErdModel, await catalogOracle(db!));
  }, 180_000);
});
