import { parseArgs } from 'node:util';
import type { SchemaSnapshot } from '../../../protocol/schema';
import { resolveInput } from '../connection/resolve';
import type { ResolvedConnection } from '../connection/resolve';
import { loadParser } from '../sql/parser';
import { schemaSnapshot } from '../workspace/schema-snapshot';
import type { CliIo } from './io';
import { describeFailure } from './io';

/** `pglens schema [--db URL | DIR]`: the schema of a live database, or of DIR's migrations replayed. */
export async function runSchema(args: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { db: { type: 'string' }, format: { type: 'string', default: 'json' }, 'cache-dir': { type: 'string' } } });
  } catch (error) {
    io.stderr(`pglens schema: ${(error as Error).message}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.format !== 'json' && values.format !== 'text') {
    io.stderr(`pglens schema: --format is json or text, not '${values.format}'\n`);
    return 2;
  }
  await loadParser();
  let database: ResolvedConnection | undefined;
  try {
    database = values.db === undefined ? undefined : resolveInput(values.db);
    const snapshot = await schemaSnapshot({ database, root: positionals[0], cacheDir: values['cache-dir'] });
    io.stdout(values.format === 'json' ? `${JSON.stringify(snapshot, null, 2)}\n` : describeSnapshot(snapshot));
    return 0;
  } catch (error) {
    io.stderr(`pglens schema: ${describeFailure(error, values.db, database)}\n`);
    return 2;
  }
}

/** A short human summary: one line per table with its columns. */
export function describeSnapshot(snapshot: SchemaSnapshot): string {
  const lines = [`PostgreSQL ${snapshot.serverVersion.split(' ')[1] ?? snapshot.serverVersionNum} (${snapshot.source}): ${snapshot.tables.length} tables, ${snapshot.views.length} views, ${snapshot.functions.length} functions, ${snapshot.types.length} types`];
  for (const table of snapshot.tables) {
    lines.push(`${table.schema}.${table.name} (${table.columns.map((column) => `${column.name} ${column.type}${column.nullable ? '' : ' not null'}`).join(', ')})`);
  }
  return `${lines.join('\n')}\n`;
}
