/**
 * Writes a generated migration in the workspace's convention: file names in the tool's version or
 * timestamp scheme, its up/down markers, and a header comment saying what the migration does, what
 * is dangerous in it and how it was verified. `renderMigrationFiles` is pure; `writeMigrationFiles`
 * only writes what it returns.
 *
 * Down scripts, per tool:
 * - flyway: an undo migration `U<version>__<name>.sql` (Flyway Teams runs it on `flyway undo`).
 * - golang-migrate: `<version>_<name>.down.sql`; dbmate: `-- migrate:down`; goose: `-- +goose Down`.
 * - prisma: `down.sql` beside `migration.sql` in the migration's folder (Prisma's documented place for
 *   a hand-run down script; `prisma migrate` only reads `migration.sql`).
 * - supabase and plain: a commented-out block at the end of the file. Both tools run every `.sql`
 *   file of their folder, so a sibling down file would be applied as a migration.
 *
 * Statements that cannot run in a transaction block (CREATE INDEX CONCURRENTLY):
 * - golang-migrate and dbmate send a file (a dbmate section) as one multi-statement query, which
 *   PostgreSQL runs as one implicit transaction even with dbmate's `transaction:false`
 *   (amacneil/dbmate#126, #182, #285). So such a statement gets a migration of its own: the up steps
 *   become consecutive versions. Each version's down reverts that version alone when verification
 *   derived it in the shadow (split.ts), so `rollback` / `down 1` is right after any version.
 *   Without verification the down steps are spread over the versions in reverse: only `down N` over
 *   all of them is right, and the header says so.
 * - goose: `-- +goose NO TRANSACTION` (goose then runs the statements one by one).
 * - flyway: a script config `V….sql.conf` with `executeInTransaction=false` (Flyway refuses a file
 *   mixing both kinds otherwise).
 * - supabase: the CLI runs a file as one batch, one implicit transaction, where CONCURRENTLY always
 *   fails: the keyword is dropped and the header says so.
 * - prisma (statements sent one by one since Prisma 7.4) and plain (psql autocommit): as they are.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LOCK_TIMEOUT_PREAMBLE } from '../diff';
import type { Change, SchemaDiff } from '../diff';
import { discoverMigrations } from '../migrations/discover';
import type { MigrationDraft, MigrationFileOut, MigrationFormat, VerificationReport } from './types';

export interface Convention {
  format: MigrationFormat;
  /** Absolute folder the migration goes in (prisma: the `migrations` folder holding one folder per migration). */
  directory: string;
}

/** One statement to run, without its trailing semicolon. */
export interface Step {
  sql: string;
  transactional: boolean;
  /** `kind object` of the change it belongs to, for a comment above its first statement. */
  label?: string;
}

/** Where each tool keeps migrations when the workspace has none yet (relative to the workspace root). */
export const DEFAULT_FOLDERS: Record<MigrationFormat, string> = {
  plain: 'migrations',
  flyway: 'db/migration',
  'golang-migrate': 'migrations',
  dbmate: 'db/migrations',
  goose: 'migrations',
  supabase: 'supabase/migrations',
  prisma: 'prisma/migrations',
};

const TOOL_NAMES: Record<MigrationFormat, string> = {
  plain: 'plain SQL',
  flyway: 'Flyway',
  'golang-migrate': 'golang-migrate',
  dbmate: 'dbmate',
  goose: 'goose',
  supabase: 'Supabase',
  prisma: 'Prisma',
};

/** The statements of a diff in order, with the lock_timeout preamble of a safe script first. */
export function stepsOf(diff: SchemaDiff): Step[] {
  const steps: Step[] = [];
  if (diff.safe && diff.changes.length > 0) steps.push({ sql: LOCK_TIMEOUT_PREAMBLE, transactional: true });
  for (const change of diff.changes) {
    change.statements.forEach((sql, index) => steps.push({ sql, transactional: change.transactional, label: index === 0 ? changeLabel(change) : undefined }));
  }
  return steps;
}

export function changeLabel(change: Pick<Change, 'kind' | 'object'>): string {
  return `${change.kind} ${change.object}`;
}

/** `Add user email!` → `add_user_email`; never empty. */
export function migrationName(name: string | undefined): string {
  // ASCII only: every tool and file system takes it; accents fold to their base letter.
  const cleaned = (name ?? '')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 80);
  return cleaned === '' ? 'migration' : cleaned;
}

/** UTC `YYYYMMDDHHMMSS`, the scheme of dbmate, Supabase, Prisma, goose and golang-migrate's default. */
export function timestampOf(date: Date): string {
  const pad = (value: number, width = 2): string => String(value).padStart(width, '0');
  return `${pad(date.getUTCFullYear(), 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`;
}

// ───────────────────────────── versions ─────────────────────────────

type Scheme = 'timestamp' | 'unix' | 'sequence';

/**
 * `count` versions after the highest in `existing` (digit strings), in the scheme the existing ones
 * use: 14-digit timestamps, 10-digit Unix seconds, or a sequence padded to the existing width.
 */
export function nextNumbers(existing: readonly string[], now: Date, count: number, fallback: { scheme: Scheme; width?: number }): string[] {
  let highest: { value: bigint; text: string } | undefined;
  for (const text of existing) {
    if (!/^\d+$/.test(text)) continue;
    const value = BigInt(text);
    if (!highest || value > highest.value) highest = { value, text };
  }
  const scheme: Scheme = !highest ? fallback.scheme : highest.text.length >= 14 ? 'timestamp' : highest.text.length === 10 && highest.value >= 1_000_000_000n ? 'unix' : 'sequence';
  const floor = highest ? highest.value + 1n : 0n;
  const result: string[] = [];
  for (let k = 0; k < count; k++) {
    if (scheme === 'sequence') {
      const width = highest ? highest.text.length : (fallback.width ?? 1);
      result.push(String((highest ? highest.value : 0n) + 1n + BigInt(k)).padStart(width, '0'));
      continue;
    }
    const at = new Date(now.getTime() + k * 1000);
    let value = BigInt(scheme === 'timestamp' ? timestampOf(at) : Math.floor(at.getTime() / 1000));
    // A clock behind the newest file (or several in one second): continue after it instead.
    if (value < floor + BigInt(k)) value = floor + BigInt(k);
    result.push(String(value));
  }
  return result;
}

/** Flyway: versions `1`, `1.2`, `2_1` … ; the next increments the last part of the highest one. */
export function nextFlywayVersion(existingNames: readonly string[], now: Date): string {
  const versions = existingNames.map((name) => /^[VU](\d+(?:[._]\d+)*)__/.exec(name)?.[1]).filter((v): v is string => v !== undefined);
  const parts = (version: string): bigint[] => version.split(/[._]/).map((part) => BigInt(part));
  const compare = (a: bigint[], b: bigint[]): number => {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const x = a[i] ?? 0n;
      const y = b[i] ?? 0n;
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  };
  const highest = versions.reduce<string | undefined>((best, version) => (best === undefined || compare(parts(version), parts(best)) > 0 ? version : best), undefined);
  if (highest === undefined) return '1';
  if (!/[._]/.test(highest)) return nextNumbers([highest], now, 1, { scheme: 'sequence' })[0];
  const separator = /[._]/.exec(highest)![0];
  const pieces = highest.split(/[._]/);
  const last = pieces[pieces.length - 1];
  pieces[pieces.length - 1] = String(BigInt(last) + 1n).padStart(last.length, '0');
  return pieces.join(separator);
}

// ───────────────────────────── header ─────────────────────────────

/** One comment line: no line breaks can escape the comment. */
function comment(text: string): string {
  const flat = text.replace(/[\r\n\u2028\u2029]+/g, ' ');
  return flat === '' ? '--' : `-- ${flat}`;
}

export function headerLines(draft: MigrationDraft, format: MigrationFormat, now: Date, notes: readonly string[] = []): string[] {
  const lines: string[] = [`Generated by pglens on ${now.toISOString().replace(/\.\d{3}Z$/, 'Z')} (${TOOL_NAMES[format]} migration).`];
  if (draft.from !== undefined || draft.to !== undefined) lines.push(`From ${draft.from ?? '?'} to ${draft.to ?? '?'}.`);
  const { changes, hazards } = draft.up;
  const notCompared = draft.notCompared ?? [];
  if (changes.length === 0 && notCompared.length > 0) {
    lines.push(`No changes in what pglens diffs, yet the schemas differ in ${notCompared.length} way(s) it does not compare; write these by hand:`);
    for (const line of notCompared) lines.push(`  ${line}`);
  } else lines.push(changes.length === 0 ? 'No changes: the schemas are the same.' : `Changes (${changes.length}):`);
  for (const change of changes) lines.push(`  ${changeLabel(change)}${change.transactional ? '' : ' (outside a transaction)'}`);
  if (hazards.length > 0) {
    lines.push(`Hazards (${hazards.length}) — review before running:`);
    for (const hazard of hazards) lines.push(`  HAZARD ${hazard.kind}: ${hazard.object}: ${hazard.message}`);
  } else {
    lines.push('Hazards: none.');
  }
  if (draft.renames && draft.renames.length > 0) {
    lines.push('Renames applied:');
    for (const rename of draft.renames) lines.push(rename.kind === 'table' ? `  table ${rename.from} → ${rename.to}` : `  column ${rename.table}.${rename.from} → ${rename.to}`);
  }
  const asked = draft.renameCandidates ?? [];
  if (asked.length > 0) {
    lines.push('Possible renames NOT applied (written as drop + add; confirm one to keep the data):');
    for (const candidate of asked) {
      const what = candidate.kind === 'table' ? `table ${candidate.from} → ${candidate.to}` : `column ${candidate.table ?? '?'}.${candidate.from} → ${candidate.to}`;
      lines.push(`  ${what} (similarity ${candidate.similarity.toFixed(2)})`);
    }
  }
  lines.push(...verificationLines(draft.verification));
  if (notes.length > 0) {
    lines.push('Notes:');
    for (const note of notes) lines.push(`  ${note}`);
  }
  return lines.map(comment);
}

export function verificationLines(report: VerificationReport | undefined): string[] {
  if (!report) return ['Verification: not run (--no-verify): neither up nor down was checked.'];
  const where = report.shadow === 'server' ? 'a scratch database' : 'PGlite';
  const seconds = (report.timings.totalMs / 1000).toFixed(1);
  const lines = [`Verification: ${report.status} (on ${where}, ${seconds} s).`];
  for (const [phase, result] of [['up', report.up], ['down', report.down]] as const) {
    const goal = phase === 'up' ? 'applied to current, re-diffs empty against desired' : 'applied after up, restores current';
    if (result.status === 'passed') lines.push(`  ${phase}: passed (${goal}).`);
    else if (result.status === 'not verified') lines.push(`  ${phase}: NOT VERIFIED: ${result.reason ?? 'unknown reason'}`);
    else {
      if (result.error) lines.push(`  ${phase}: FAILED: ${result.error.message} in: ${result.error.statement.slice(0, 200)}`);
      if (result.leftover.length > 0) lines.push(`  ${phase}: FAILED: ${result.leftover.length} difference(s) left: ${result.leftover.slice(0, 10).join('; ')}${result.leftover.length > 10 ? '; …' : ''}`);
    }
  }
  const versions = report.versions?.report;
  if (versions) {
    const goal = "each version's up then its own down restores the state before that version";
    if (versions.status === 'passed') lines.push(`  versions: passed (${goal}).`);
    else {
      const detail = [versions.reason, versions.error && `${versions.error.message} in: ${versions.error.statement.slice(0, 200)}`, versions.leftover.length > 0 && `${versions.leftover.length} difference(s) left: ${versions.leftover.slice(0, 10).join('; ')}`];
      lines.push(`  versions: ${versions.status === 'failed' ? 'FAILED' : 'NOT VERIFIED'}: ${detail.filter(Boolean).join(': ')}; the down steps are spread over the versions instead.`);
    }
  }
  if (report.notes.length > 0) {
    lines.push('Not verified:');
    for (const note of report.notes) lines.push(`  ${note}`);
  }
  return lines;
}

// ───────────────────────────── rendering ─────────────────────────────

function statementText(step: Step, goose = false): string[] {
  const lines: string[] = [];
  if (step.label) lines.push(comment(step.label));
  const sql = `${step.sql};`;
  // goose splits at semicolons ending a line; a body with its own semicolons must be one block.
  if (goose && step.sql.includes(';')) lines.push('-- +goose StatementBegin', sql, '-- +goose StatementEnd');
  else lines.push(sql);
  return lines;
}

function body(steps: readonly Step[], goose = false): string {
  if (steps.length === 0) return '-- (nothing to do)\n';
  return `${steps.map((step) => statementText(step, goose).join('\n')).join('\n')}\n`;
}

/** A down script as comment lines, for tools that have no down. */
function commentedDown(steps: readonly Step[], tool: string): string {
  const lines = [`-- ─── down: ${tool} does not run this; to revert, run these statements by hand ───`];
  for (const line of body(steps).trimEnd().split('\n')) lines.push(`-- ${line}`);
  return `${lines.join('\n')}\n`;
}

/** Each non-transactional step alone, runs of transactional ones together; the preamble is repeated in each group that can hold it. */
export function units(steps: readonly Step[]): Step[][] {
  const preamble = steps[0]?.sql === LOCK_TIMEOUT_PREAMBLE ? steps[0] : undefined;
  const rest = preamble ? steps.slice(1) : steps;
  const groups: Step[][] = [];
  for (const step of rest) {
    const last = groups[groups.length - 1];
    if (step.transactional && last && last[last.length - 1].transactional) last.push(step);
    else groups.push([step]);
  }
  return groups.map((group) => (preamble && group[0].transactional ? [preamble, ...group] : group));
}

/** `CREATE [UNIQUE] INDEX CONCURRENTLY` / `DROP INDEX CONCURRENTLY` at the head of a generated statement. */
const CONCURRENT_INDEX = /^(\s*(?:CREATE\s+(?:UNIQUE\s+)?|DROP\s+)INDEX\s+)CONCURRENTLY\s+/i;

/** Supabase runs a file in one implicit transaction: CONCURRENTLY can only fail there. */
function withoutConcurrentForms(steps: readonly Step[]): { steps: Step[]; dropped: number } {
  let dropped = 0;
  const result = steps.map((step) => {
    if (step.transactional || !CONCURRENT_INDEX.test(step.sql)) return step;
    dropped++;
    return { ...step, sql: step.sql.replace(CONCURRENT_INDEX, '$1'), transactional: true };
  });
  return { steps: result, dropped };
}

/**
 * The files of a migration in `convention`. `existing` are the names of the files (prisma: folders)
 * already in the convention's folder; they fix the next version number and its width.
 */
export function renderMigrationFiles(draft: MigrationDraft, convention: Convention, name: string, now: Date, existing: readonly string[]): MigrationFileOut[] {
  const slug = migrationName(name);
  const dir = convention.directory;
  let up = stepsOf(draft.up);
  let down = stepsOf(draft.down);
  const notes: string[] = [];
  const header = (extra: readonly string[] = []): string => `${headerLines(draft, convention.format, now, [...notes, ...extra]).join('\n')}\n`;
  const anyNonTransactional = [...up, ...down].some((step) => !step.transactional);

  switch (convention.format) {
    case 'plain': {
      const names = existing.map((file) => /^(\d+)[-_. ]/.exec(file)?.[1]).filter((v): v is string => v !== undefined);
      const version = nextNumbers(names, now, 1, { scheme: 'sequence', width: 4 })[0];
      return [{ path: path.join(dir, `${version}_${slug}.sql`), content: `${header()}\n${body(up)}\n${commentedDown(down, 'psql')}` }];
    }
    case 'supabase': {
      const versions = existing.map((file) => /^(\d+)_/.exec(file)?.[1]).filter((v): v is string => v !== undefined);
      const version = nextNumbers(versions, now, 1, { scheme: 'timestamp' })[0];
      const strippedUp = withoutConcurrentForms(up);
      const strippedDown = withoutConcurrentForms(down);
      up = strippedUp.steps;
      down = strippedDown.steps;
      if (strippedUp.dropped + strippedDown.dropped > 0) {
        notes.push('Supabase runs a migration file as one transaction, where CONCURRENTLY cannot run: indexes are built and dropped without it, locking writes to their table meanwhile.');
      }
      if (up.some((step) => !step.transactional)) notes.push('A statement here cannot run inside a transaction; Supabase will reject this file: run that statement by hand.');
      return [{ path: path.join(dir, `${version}_${slug}.sql`), content: `${header()}\n${body(up)}\n${commentedDown(down, 'Supabase')}` }];
    }
    case 'prisma': {
      const versions = existing.map((file) => /^(\d+)_/.exec(file)?.[1]).filter((v): v is string => v !== undefined);
      const version = nextNumbers(versions, now, 1, { scheme: 'timestamp' })[0];
      const folder = path.join(dir, `${version}_${slug}`);
      notes.push('Prisma does not run down scripts: down.sql beside this file reverts it when run by hand (e.g. `prisma db execute --file down.sql`).');
      return [
        { path: path.join(folder, 'migration.sql'), content: `${header()}\n${body(up)}` },
        { path: path.join(folder, 'down.sql'), content: `-- Down script of ${version}_${slug}: reverts migration.sql. Not run by prisma migrate.\n${body(down)}` },
      ];
    }
    case 'flyway': {
      const version = nextFlywayVersion(existing, now);
      const files: MigrationFileOut[] = [];
      if (anyNonTransactional) notes.push('Runs outside a transaction (executeInTransaction=false in the .conf file): a failure half way leaves the statements before it applied.');
      files.push({ path: path.join(dir, `V${version}__${slug}.sql`), content: `${header()}\n${body(up)}` });
      files.push({ path: path.join(dir, `U${version}__${slug}.sql`), content: `-- Undo of V${version}__${slug}.sql (flyway undo, Flyway Teams).\n${body(down)}` });
      if (up.some((step) => !step.transactional)) files.push({ path: path.join(dir, `V${version}__${slug}.sql.conf`), content: 'executeInTransaction=false\n' });
      if (down.some((step) => !step.transactional)) files.push({ path: path.join(dir, `U${version}__${slug}.sql.conf`), content: 'executeInTransaction=false\n' });
      return files;
    }
    case 'goose': {
      const versions = existing.map((file) => /^(\d+)_.*\.sql$/.exec(file)?.[1]).filter((v): v is string => v !== undefined);
      const version = nextNumbers(versions, now, 1, { scheme: 'timestamp' })[0];
      if (anyNonTransactional) notes.push('NO TRANSACTION: goose runs each statement on its own; a failure half way leaves the statements before it applied.');
      const lines = ['-- +goose Up'];
      if (anyNonTransactional) lines.push('-- +goose NO TRANSACTION');
      const content = `${lines.join('\n')}\n${header()}\n${body(up, true)}\n-- +goose Down\n${body(down, true)}`;
      return [{ path: path.join(dir, `${version}_${slug}.sql`), content }];
    }
    case 'golang-migrate':
    case 'dbmate': {
      const upUnits = units(up);
      const downUnits = units(down);
      // Each version's own down, when verification derived one per up version (split.ts).
      const own = ownDowns(draft, upUnits.length);
      const count = own ? upUnits.length : Math.max(upUnits.length, downUnits.length, 1);
      const pattern = convention.format === 'dbmate' ? /^(\d+)/ : /^(\d+)_.*\.(?:up|down)\.sql$/;
      const versions = existing.map((file) => pattern.exec(file)?.[1]).filter((v): v is string => v !== undefined);
      const numbers = nextNumbers(versions, now, count, { scheme: 'timestamp' });
      if (count > 1) {
        const split = `Split into ${count} migrations (${numbers[0]}…${numbers[count - 1]}): ${TOOL_NAMES[convention.format]} runs a file as one transaction, and a statement that cannot run in one needs a file of its own.`;
        notes.push(
          own
            ? `${split} Each version's down reverts that version alone (checked in the shadow): roll back one at a time, or all ${count} together.`
            : `${split} Down steps of the split versions are only correct when run together (\`down ${count}\`): one version's down alone does not revert that version.`,
        );
        const adjusted = draft.verification?.versions?.inOneTransaction ?? [];
        if (own && adjusted.length > 0) {
          notes.push(`The down of version(s) ${adjusted.map((k) => numbers[k - 1]).join(', ')} runs in one transaction: its indexes are built or dropped without CONCURRENTLY (locking writes to their table meanwhile) and its enum values are added inside it (PostgreSQL 12+).`);
        }
      }
      const files: MigrationFileOut[] = [];
      for (let i = 0; i < count; i++) {
        const upPart = upUnits[i] ?? [];
        // Without own downs, `down` runs from the newest version back: the first down statements belong to the newest file.
        const downPart = own ? own[i] : (downUnits[count - 1 - i] ?? []);
        const part = count > 1 ? ` (part ${i + 1} of ${count})` : '';
        const first = i === 0 ? header() : `-- Part ${i + 1} of ${count} of the migration ${numbers[0]}_${slug}; see its header.\n`;
        if (convention.format === 'golang-migrate') {
          files.push({ path: path.join(dir, `${numbers[i]}_${slug}.up.sql`), content: `${first}\n${body(upPart)}` });
          files.push({ path: path.join(dir, `${numbers[i]}_${slug}.down.sql`), content: `-- Down of ${numbers[i]}_${slug}.up.sql${part}.\n${body(downPart)}` });
        } else {
          const upMarker = upPart.some((step) => !step.transactional) ? '-- migrate:up transaction:false' : '-- migrate:up';
          const downMarker = downPart.some((step) => !step.transactional) ? '-- migrate:down transaction:false' : '-- migrate:down';
          files.push({ path: path.join(dir, `${numbers[i]}_${slug}.sql`), content: `${upMarker}\n${first}\n${body(upPart)}\n${downMarker}\n${body(downPart)}` });
        }
      }
      return files;
    }
  }
}

/**
 * The down steps of each up version, when verification derived them (one diff per version, each
 * fitting in one unit); undefined when it did not, and the whole down is spread instead.
 */
function ownDowns(draft: MigrationDraft, versionCount: number): Step[][] | undefined {
  const versions = draft.verification?.versions;
  if (versionCount < 2 || versions?.report.status !== 'passed' || versions.downs?.length !== versionCount) return undefined;
  const result: Step[][] = [];
  for (const down of versions.downs) {
    const parts = units(stepsOf(down));
    if (parts.length > 1) return undefined;
    result.push(parts[0] ?? []);
  }
  return result;
}

// ───────────────────────────── the workspace ─────────────────────────────

/**
 * The convention to write in: `format` when given (in the folder the workspace already uses for
 * that tool, else its default folder), else the tool discovered in the workspace, else plain.
 * `outDir` overrides the folder. Also returns the names already in that folder.
 */
export function conventionFor(workspaceRoot: string, options: { format?: MigrationFormat; outDir?: string } = {}): { convention: Convention; existing: string[] } {
  const root = path.resolve(workspaceRoot);
  const discovered = discoverMigrations(root);
  const discoveredFormat: MigrationFormat | undefined = discovered && discovered.tool !== 'sqitch' ? discovered.tool : undefined;
  const format = options.format ?? discoveredFormat ?? 'plain';
  let directory: string;
  if (options.outDir !== undefined) directory = path.resolve(root, options.outDir);
  else if (discovered && discoveredFormat === format) directory = discovered.directory;
  else directory = path.join(root, ...DEFAULT_FOLDERS[format].split('/'));
  const existing = new Set(listNames(directory));
  // Flyway scans subfolders too: their versions count.
  if (format === 'flyway' && discovered?.tool === 'flyway' && discovered.directory === directory) for (const file of discovered.files) existing.add(path.basename(file.path));
  return { convention: { format, directory }, existing: [...existing].sort() };
}

function listNames(directory: string): string[] {
  try {
    return fs.readdirSync(directory);
  } catch {
    return [];
  }
}

/** Writes the files, creating folders; refuses to overwrite an existing file. Returns the paths written. */
export function writeMigrationFiles(files: readonly MigrationFileOut[]): string[] {
  for (const file of files) if (fs.existsSync(file.path)) throw new Error(`${file.path} already exists; not overwriting it`);
  for (const file of files) {
    fs.mkdirSync(path.dirname(file.path), { recursive: true });
    fs.writeFileSync(file.path, file.content, { flag: 'wx' });
  }
  return files.map((file) => file.path);
}
