import { parseArgs } from 'node:util';
import { resolveInput } from '../connection/resolve';
import type { ResolvedConnection } from '../connection/resolve';
import { DEFAULT_ANALYZE_OPTIONS } from '../document/analyze';
import { loadParser } from '../sql/parser';
import { checkWorkspace } from '../workspace/check-workspace';
import type { CliIo } from './io';
import { describeFailure } from './io';
import { REPORTERS, render } from './reporters';
import type { ReporterName } from './reporters';
import { discoveryLines } from '../workspace/discovery-report';
import { USAGE } from './usage';

/** `pglens check [paths…]`: syntax, migration rules and schema of every file; exit 1 on errors. */
export async function runCheck(rest: string[], io: CliIo): Promise<number> {
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

  let database: ResolvedConnection | undefined;
  try {
    database = values.db === undefined ? undefined : resolveInput(values.db);
  } catch (error) {
    io.stderr(`pglens check: ${describeFailure(error, values.db, undefined)}\n`);
    return 2;
  }
  await loadParser();
  const analyze = { ...DEFAULT_ANALYZE_OPTIONS, maxFileSize: Math.round(maxFileSizeMB * 1024 * 1024), plpgsql: !values['no-plpgsql'] };
  let result;
  try {
    result = await checkWorkspace(positionals.length > 0 ? positionals : ['.'], {
      analyze,
      schema: values['no-schema'] ? 'none' : 'shadow',
      database,
      shadow: values.shadow,
      since: values.since,
      cacheDir: values['cache-dir'],
    });
  } catch (error) {
    io.stderr(`pglens check: ${describeFailure(error, values.db, database)}\n`);
    return 2;
  }
  const { findings, files } = result;

  // What was found goes first, on stderr with the summary: stdout holds findings only.
  if (reporter === 'text') io.stderr(discoveryLines(result.discovery));
  io.stdout(render(reporter, { findings, filesChecked: files.length, toolVersion: PGLENS_VERSION, discovery: result.discovery }));
  const errors = findings.filter((finding) => finding.severity === 'error').length;
  const warnings = findings.filter((finding) => finding.severity === 'warning').length;
  if (reporter === 'text') io.stderr(`${summary(errors, warnings, files.length)}\n`);
  return errors > 0 || warnings > maxWarnings ? 1 : 0;
}

function summary(errors: number, warnings: number, files: number): string {
  const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;
  return `pglens: ${plural(errors, 'error')} and ${plural(warnings, 'warning')} in ${plural(files, 'file')}`;
}

declare const PGLENS_VERSION: string;
