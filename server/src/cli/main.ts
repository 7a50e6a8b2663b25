import { parseArgs } from 'node:util';
import { DEFAULT_ANALYZE_OPTIONS } from '../document/analyze';
import { loadParser } from '../sql/parser';
import { UsageError, checkWorkspace } from '../workspace/check-workspace';
import { runDiff } from './diff';
import { describeSnapshot, schemaSnapshot } from './schema';
import { PLAN_USAGE, runExplain, runPlan } from './plans';
import { REPORTERS, render } from './reporters';
import type { ReporterName } from './reporters';

const USAGE = `pglens — PostgreSQL lint for SQL files and migrations

Usage:
  pglens check [paths…] [options]   check files and folders (recursively *.sql, *.pgsql, *.psql); default: .
  pglens schema [--db URL | DIR] [--format json|text]
                                    print the schema: of a live database, or of DIR's migrations replayed
  pglens diff --from <url|file|dir> --to <url|file|dir> [--format plain|auto|flyway|…] [--down]
                                    a verified migration from one schema to the other (pglens diff -h)
${PLAN_USAGE}
A folder given alone is a workspace: its migrations are found by convention (Supabase, dbmate,
golang-migrate, Flyway, goose, Prisma, or a folder of ordered .sql files) and replayed in order into
an embedded PostgreSQL, so each migration is checked against the schema the ones before it produce.
Other SQL files are checked against that schema, or against --db.

Options:
  --db URL                            check files that are not migrations against this live database
                                      (read-only: PostgreSQL analyses each query, nothing runs)
  --shadow embedded|server            where migrations are replayed: PGlite in process (default), or a
                                      scratch database pglens creates and drops on the --db server
  --no-schema                         syntax and migration rules only: no database at all
  --since REF                         tables created by migrations added since this git ref are new in
                                      this deploy: locking or rewriting them is harmless
  --cache-dir DIR                     where the embedded database is cached (default: ~/.cache/pglens)
  --reporter text|json|sarif|github   output format (default: text)
  --max-warnings N                    exit 1 when there are more than N warnings
  --max-file-size MB                  skip files larger than this (default: 10)
  --no-plpgsql                        do not parse PL/pgSQL function bodies
  -h, --help                          show this help
  -v, --version                       print the version

Exit codes: 0 no errors, 1 errors (or too many warnings), 2 bad usage.
`;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Runs the CLI and returns its exit code; it never calls process.exit, so tests can run it in process. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    io.stdout(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === '-v' || command === '--version') {
    io.stdout(`${PGLENS_VERSION}\n`);
    return 0;
  }
  if (command === 'schema') return runSchema(rest, io);
  if (command === 'diff') return runDiff(rest, io);
  if (command === 'explain') return runExplain(rest, io);
  if (command === 'plan') return runPlan(rest, io);
  if (command !== 'check') {
    io.stderr(`pglens: unknown command '${command}'\n\n${USAGE}`);
    return 2;
  }

  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        reporter: { type: 'string', default: 'text' },
        'max-warnings': { type: 'string' },
        'max-file-size': { type: 'string' },
        'no-plpgsql': { type: 'boolean', default: false },
        'no-schema': { type: 'boolean', default: false },
        db: { type: 'string' },
        shadow: { type: 'string', default: 'embedded' },
        'cache-dir': { type: 'string' },
        since: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    io.stderr(`pglens check: ${(error as Error).message}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  const reporter = values.reporter as ReporterName;
  if (!REPORTERS.includes(reporter)) {
    io.stderr(`pglens check: unknown reporter '${values.reporter}' (use ${REPORTERS.join(', ')})\n`);
    return 2;
  }
  const maxWarnings = values['max-warnings'] === undefined ? Infinity : Number(values['max-warnings']);
  if (!Number.isInteger(maxWarnings) && maxWarnings !== Infinity) {
    io.stderr(`pglens check: --max-warnings needs a whole number, got '${values['max-warnings']}'\n`);
    return 2;
  }
  const maxFileSizeMB = values['max-file-size'] === undefined ? 10 : Number(values['max-file-size']);
  if (!(maxFileSizeMB > 0)) {
    io.stderr(`pglens check: --max-file-size needs a positive number of MB, got '${values['max-file-size']}'\n`);
    return 2;
  }

  if (values.shadow !== 'embedded' && values.shadow !== 'server') {
    io.stderr(`pglens check: --shadow is embedded or server, not '${values.shadow}'\n`);
    return 2;
  }

  await loadParser();
  const analyze = { ...DEFAULT_ANALYZE_OPTIONS, maxFileSize: Math.round(maxFileSizeMB * 1024 * 1024), plpgsql: !values['no-plpgsql'] };
  let result;
  try {
    result = await checkWorkspace(positionals.length > 0 ? positionals : ['.'], {
      analyze,
      schema: values['no-schema'] ? 'none' : 'shadow',
      databaseUrl: values.db,
      shadow: values.shadow,
      since: values.since,
      cacheDir: values['cache-dir'],
    });
  } catch (error) {
    io.stderr(`pglens check: ${describeFailure(error, values.db)}\n`);
    return 2;
  }
  const { findings, files } = result;

  io.stdout(render(reporter, { findings, filesChecked: files.length, toolVersion: PGLENS_VERSION }));
  const errors = findings.filter((finding) => finding.severity === 'error').length;
  const warnings = findings.filter((finding) => finding.severity === 'warning').length;
  if (reporter === 'text') io.stderr(`${summary(errors, warnings, files.length)}\n`);
  return errors > 0 || warnings > maxWarnings ? 1 : 0;
}

async function runSchema(args: string[], io: CliIo): Promise<number> {
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
  try {
    const snapshot = await schemaSnapshot({ databaseUrl: values.db, root: positionals[0], cacheDir: values['cache-dir'] });
    io.stdout(values.format === 'json' ? `${JSON.stringify(snapshot, null, 2)}\n` : describeSnapshot(snapshot));
    return 0;
  } catch (error) {
    io.stderr(`pglens schema: ${describeFailure(error, values.db)}\n`);
    return 2;
  }
}

/** A failure before any finding: bad paths, or a database that cannot be reached. */
function describeFailure(error: unknown, databaseUrl: string | undefined): string {
  if (error instanceof UsageError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  if (databaseUrl) return `cannot use the database ${redact(databaseUrl)}: ${message}`;
  return message;
}

/** A connection string without its password, for messages. */
export function redact(url: string): string {
  return url.replace(/(\/\/[^:/@]+):[^@]*@/, '$1:***@').replace(/(password=)[^\s&]+/i, '$1***');
}

function summary(errors: number, warnings: number, files: number): string {
  const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;
  return `pglens: ${plural(errors, 'error')} and ${plural(warnings, 'warning')} in ${plural(files, 'file')}`;
}

declare const PGLENS_VERSION: string;
