import { parseArgs } from 'node:util';
import type { RlsCountsResult, RlsStatementResult } from '../../../protocol/rls';
import { buildMatrix, matrixHtml, matrixText } from '../rls/matrix';
import { loadRlsModel } from '../rls/model';
import { withRlsTarget } from '../rls/target';
import { RlsUsageError, testAsRole } from '../rls/tester';
import { loadParser } from '../sql/parser';
import { InputError } from '../workspace/errors';
import type { CliIo } from './io';
import { RLS_USAGE } from './usage';
import { redactSecrets } from '../connection/redact';


const HELP = `pglens rls — row-level security, answered by PostgreSQL

${RLS_USAGE}
Without --db, the workspace DIR (default .) has its migrations replayed into the embedded shadow and
its seed loaded (supabase/seed.sql, or "rls": { "seed": "path" } in pglens.json); with no seed the
tables are empty. With --db, nothing persists: the test runs in a transaction that is rolled back.
Settings are applied with set_config(KEY, VALUE, true) before SET ROLE, e.g. --set app.tenant_id=7.
`;

/** `pglens rls test|matrix`: exit 0 with an answer, 2 on bad usage or a database that cannot answer. */
export async function runRls(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '-h' || sub === '--help') {
    io.stdout(HELP);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'test' && sub !== 'matrix') {
    io.stderr(`pglens rls: unknown command '${sub}' (test or matrix)\n\n${HELP}`);
    return 2;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        role: { type: 'string', multiple: true },
        set: { type: 'string', multiple: true },
        sql: { type: 'string' },
        db: { type: 'string' },
        format: { type: 'string', default: sub === 'test' ? 'json' : 'text' },
        'cache-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    io.stderr(`pglens rls ${sub}: ${(error as Error).message}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  const usage = (message: string): number => {
    io.stderr(`pglens rls ${sub}: ${message}\n`);
    return 2;
  };
  const formats = sub === 'test' ? ['json', 'text'] : ['json', 'text', 'html'];
  if (!formats.includes(values.format)) return usage(`--format is ${formats.join(', ')}, not '${values.format}'`);
  if (positionals.length > 1) return usage(`one workspace folder at most, got ${positionals.join(' ')}`);
  if (values.db && positionals.length > 0) return usage('give a workspace folder or --db, not both');
  const settings: Array<[string, string]> = [];
  for (const setting of values.set ?? []) {
    const equals = setting.indexOf('=');
    if (equals <= 0) return usage(`--set takes KEY=VALUE, got '${setting}'`);
    settings.push([setting.slice(0, equals), setting.slice(equals + 1)]);
  }
  if (sub === 'test' && values.role?.length !== 1) return usage('--role ROLE is required, once');
  if (sub === 'matrix' && (settings.length > 0 || values.sql !== undefined)) return usage('--set and --sql belong to pglens rls test');

  await loadParser();
  try {
    const target = { databaseUrl: values.db, root: positionals[0], cacheDir: values['cache-dir'] };
    if (sub === 'test') {
      const answer = await withRlsTarget(target, async ({ db, inTransaction, seed }) => {
        if (!values.db && !seed) io.stderr('pglens rls test: no seed file (supabase/seed.sql, or "rls": { "seed": … } in pglens.json): the shadow\'s tables are empty\n');
        return testAsRole(db, { role: values.role![0], settings, sql: values.sql }, { inTransaction });
      });
      io.stdout(values.format === 'json' ? `${JSON.stringify(answer)}\n` : testText(answer));
      return 0;
    }
    const matrix = await withRlsTarget(target, async ({ db }) => buildMatrix(await loadRlsModel(db, { roles: values.role }), values.role));
    const unknown = (values.role ?? []).filter((role) => !matrix.roles.includes(role));
    if (unknown.length > 0) return usage(`unknown role ${unknown.map((role) => JSON.stringify(role)).join(', ')}`);
    io.stdout(values.format === 'json' ? `${JSON.stringify(matrix, null, 2)}\n` : values.format === 'html' ? matrixHtml(matrix) : matrixText(matrix));
    return 0;
  } catch (error) {
    if (error instanceof RlsUsageError || error instanceof InputError) return usage(error.message);
    const message = error instanceof Error ? error.message : String(error);
    return usage(values.db ? `cannot use the database ${redactSecrets(values.db)}: ${message}` : message);
  }
}

function testText(answer: RlsCountsResult | RlsStatementResult): string {
  if ('allowed' in answer) return answer.allowed ? `allowed: ${answer.rowCount} row(s)\n` : `refused (${answer.sqlstate}): ${answer.message}\n`;
  const lines = answer.tables.map((table) => {
    const total = table.total === undefined ? '?' : String(table.total);
    return `${table.table}: ${table.denied ? `denied (${table.denied})` : `${table.visible} of ${total} rows`}`;
  });
  return `as ${answer.role}:\n${lines.map((line) => `  ${line}`).join('\n')}\n`;
}
