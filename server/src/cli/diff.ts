/**
 * `pglens diff`: a verified migration from one schema to another. Never prompts: hazards go to stderr
 * and into the file header, renames come only from `--rename`, and `--safe-only` refuses any hazard.
 *
 * Exit codes: 0 done, 1 verification failed (nothing printed or written), 2 bad usage or a source
 * that cannot be read or built, 3 refused by --safe-only.
 */
import { ConnectionConfigError } from '../connection/errors';
import { redactSecrets } from '../connection/redact';
import { resolveInput } from '../connection/resolve';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { RenameDecision } from '../diff';
import { headerLines, stepsOf, writeMigrationFiles } from '../generate/conventions';
import { generateMigration } from '../generate/generate';
import { MIGRATION_FORMATS } from '../generate/types';
import type { GenerateResult, MigrationFormat } from '../generate/types';
import { loadParser } from '../sql/parser';
import { InputError } from '../workspace/errors';
import type { CliIo } from './io';

export const DIFF_USAGE = `Usage: pglens diff --from <url|file|dir> --to <url|file|dir> [options]

A migration that turns the schema of --from (current) into the schema of --to (desired), with its
down script, verified in a shadow database before anything is printed or written.

A source is a postgres:// URL (read only), a .sql file (declarative schema, built in a shadow), or a
folder: its migrations when a tool's convention matches (the folder, or a workspace holding one),
else supabase/schemas/*.sql, else schema.sql, else every .sql file below it, in path order.

Options:
  --format plain|auto|flyway|golang-migrate|dbmate|goose|supabase|prisma
                           plain (default): the up script on stdout; auto: the workspace's own tool;
                           other formats write files in that tool's convention and print their paths
  --down                   with plain output: print the down script instead of the up script
  --name NAME              migration name in file names (default: from the changes)
  --out DIR                write the files into DIR (also makes plain write a file there)
  --root DIR               workspace whose migrations folder and numbering are used (default: .)
  --rename OLD=NEW         confirm a rename (repeatable): a table as schema.old=schema.new (or
                           schema.old=new), a column as schema.table.old=new; quote a name holding
                           a dot or '=' with double quotes: "my.schema".t=new_t
  --safe-only              refuse any hazard (drops, narrowing types, …) with exit code 3
  --no-verify              skip the verification in the shadow
  --shadow-url URL         build SQL sources and verify on scratch databases created on this
                           server (dropped afterwards) instead of the embedded PostgreSQL
  --cache-dir DIR          where the embedded database is cached

Exit codes: 0 done, 1 verification failed or the schemas differ in what pglens does not compare,
2 bad usage or unreadable source, 3 refused (--safe-only).
`;

type OutputFormat = MigrationFormat | 'auto';

export async function runDiff(args: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: false,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        format: { type: 'string', default: 'plain' },
        down: { type: 'boolean', default: false },
        name: { type: 'string' },
        out: { type: 'string' },
        root: { type: 'string' },
        rename: { type: 'string', multiple: true, default: [] },
        'safe-only': { type: 'boolean', default: false },
        'no-verify': { type: 'boolean', default: false },
        'shadow-url': { type: 'string' },
        'cache-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    io.stderr(`pglens diff: ${(error as Error).message}\n\n${DIFF_USAGE}`);
    return 2;
  }
  const { values } = parsed;
  if (values.help) {
    io.stdout(DIFF_USAGE);
    return 0;
  }
  if (!values.from || !values.to) {
    io.stderr(`pglens diff: --from and --to are both required\n\n${DIFF_USAGE}`);
    return 2;
  }
  const format = values.format as OutputFormat;
  if (format !== 'auto' && !MIGRATION_FORMATS.includes(format)) {
    io.stderr(`pglens diff: unknown --format '${values.format}' (use ${['auto', ...MIGRATION_FORMATS].join(', ')})\n`);
    return 2;
  }
  let renames: RenameDecision[];
  try {
    renames = values.rename.map(parseRename);
  } catch (error) {
    io.stderr(`pglens diff: ${(error as Error).message}\n`);
    return 2;
  }
  const toStdout = format === 'plain' && values.out === undefined;

  await loadParser();
  let result: GenerateResult;
  try {
    result = await generateMigration({
      from: values.from,
      to: values.to,
      workspaceRoot: values.root ?? process.cwd(),
      format: format === 'auto' ? undefined : format,
      outDir: values.out,
      renames,
      safeOnly: values['safe-only'],
      name: values.name,
      verify: !values['no-verify'],
      shadowServer: values['shadow-url'] === undefined ? undefined : resolveInput(values['shadow-url']),
      cacheDir: values['cache-dir'],
    });
  } catch (error) {
    if (error instanceof InputError || error instanceof ConnectionConfigError) {
      io.stderr(`pglens diff: ${redactSecrets(error.message)}\n`);
      return 2;
    }
    throw error;
  }

  for (const hazard of result.hazards) io.stderr(`pglens diff: hazard: ${hazard.kind}: ${hazard.object}: ${hazard.message}\n`);
  for (const candidate of result.renameCandidates) {
    const flag = candidate.kind === 'table' ? `${candidate.from}=${candidate.to}` : `${candidate.table ?? '?'}.${candidate.from}=${candidate.to}`;
    io.stderr(`pglens diff: possible rename, written as drop + add: ${candidate.kind} ${candidate.from} → ${candidate.to} (confirm with --rename ${flag})\n`);
  }
  if (result.notCompared.length > 0) {
    io.stderr(`pglens diff: no changes in what pglens diffs, yet the schemas differ in ${result.notCompared.length} way(s) it does not compare:\n`);
    for (const line of result.notCompared) io.stderr(`pglens diff:   ${line}\n`);
  }
  if (result.refused) {
    io.stderr(`pglens diff: refused: ${result.hazards.length} hazard(s) and --safe-only\n`);
    return 3;
  }
  const verification = result.verification;
  if (verification) {
    io.stderr(`pglens diff: verification ${verification.status} (up ${verification.up.status}, down ${verification.down.status}, ${(verification.timings.totalMs / 1000).toFixed(1)} s)\n`);
    for (const [phase, report] of [['up', verification.up], ['down', verification.down]] as const) {
      if (report.error) io.stderr(`pglens diff:   ${phase}: ${report.error.message}\n    in: ${report.error.statement}\n`);
      for (const leftover of report.leftover) io.stderr(`pglens diff:   ${phase} leaves a difference: ${leftover}\n`);
      if (report.reason) io.stderr(`pglens diff:   ${phase} not verified: ${report.reason}\n`);
    }
    const versions = verification.versions?.report;
    if (versions && versions.status !== 'passed') {
      const detail = versions.error ? `: ${versions.error.message}` : versions.leftover.length > 0 ? `: ${versions.leftover.join('; ')}` : '';
      io.stderr(`pglens diff:   versions ${versions.status}: ${versions.reason ?? ''}${detail}; each version's down is only right when all are rolled back together\n`);
    }
    if (verification.status === 'failed') {
      io.stderr('pglens diff: nothing written: the migration does not do what it should (use --no-verify to write it anyway)\n');
      return 1;
    }
  }

  if (toStdout) {
    const diff = values.down ? result.down : result.diff;
    const draft = { up: diff, down: values.down ? result.diff : result.down, renames, renameCandidates: result.renameCandidates, verification, notCompared: result.notCompared };
    const header = headerLines(draft, 'plain', new Date()).join('\n');
    const body = stepsOf(diff).map((step) => `${step.sql};`).join('\n');
    io.stdout(`${header}\n${body}${body ? '\n' : ''}`);
    return result.notCompared.length > 0 ? 1 : 0;
  }
  try {
    for (const file of writeMigrationFiles(result.files)) {
      const relative = path.relative(process.cwd(), file);
      io.stdout(`${relative === '' || relative.startsWith('..') ? file : relative}\n`);
    }
  } catch (error) {
    io.stderr(`pglens diff: ${(error as Error).message}\n`);
    return 2;
  }
  return result.notCompared.length > 0 ? 1 : 0;
}

/**
 * `schema.old=schema.new` or `schema.old=new` (table), `old=new` (table in public),
 * `schema.table.old=new` (column). Names may be double-quoted to hold dots, `=` or quotes (`""`).
 */
export function parseRename(text: string): RenameDecision {
  const [left, right] = splitOnEquals(text);
  const from = dottedName(left);
  const to = dottedName(right);
  if (from.length === 3 && to.length === 1) return { kind: 'column', table: `${from[0]}.${from[1]}`, from: from[2], to: to[0] };
  if (from.length === 2 && (to.length === 1 || to.length === 2)) return { kind: 'table', from: from.join('.'), to: to.length === 2 ? to.join('.') : `${from[0]}.${to[0]}` };
  if (from.length === 1 && to.length === 1) return { kind: 'table', from: `public.${from[0]}`, to: `public.${to[0]}` };
  throw new InputError(`--rename '${text}': use schema.old=schema.new for a table, schema.table.old=new for a column`);
}

function splitOnEquals(text: string): [string, string] {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '"') quoted = !quoted;
    else if (text[i] === '=' && !quoted) return [text.slice(0, i), text.slice(i + 1)];
  }
  throw new InputError(`--rename '${text}': expected OLD=NEW`);
}

function dottedName(text: string): string[] {
  const parts: string[] = [];
  let i = 0;
  while (i <= text.length) {
    let part = '';
    if (text[i] === '"') {
      i++;
      while (i < text.length && !(text[i] === '"' && text[i + 1] !== '"')) {
        part += text[i];
        i += text[i] === '"' ? 2 : 1;
      }
      if (text[i] !== '"') throw new InputError(`--rename: unterminated quote in '${text}'`);
      i++;
    } else {
      while (i < text.length && text[i] !== '.') part += text[i++];
    }
    if (part === '') throw new InputError(`--rename: empty name in '${text}'`);
    parts.push(part);
    if (i >= text.length) break;
    if (text[i] !== '.') throw new InputError(`--rename: expected '.' after a quoted name in '${text}'`);
    i++;
  }
  return parts;
}
