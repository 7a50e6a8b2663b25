/**
 * `pglens advise`: the indexes hypopg confirms and the plan's hints, per statement of the SQL given,
 * or for the statements pg_stat_statements says cost the most time (`--workload`).
 */
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { SchemaSnapshot } from '../../../protocol/schema';
import type { PgDatabase } from '../db/pg';
import { DEFAULT_MIN_REDUCTION, costChange } from '../indexes/advise';
import type { AdviseOptions } from '../indexes/advise';
import { adviceReport } from '../indexes/report';
import type { AdviceReport } from '../indexes/report';
import { adviseWorkload, workloadText } from '../indexes/workload';
import { loadSnapshot } from '../schema/snapshot';
import { loadParser } from '../sql/parser';
import { splitStatements } from '../sql/splitter';
import type { CliIo } from './io';
import { redactSecrets } from '../connection/redact';
import { openDatabase } from '../connection/open';
import { resolveInput } from '../connection/resolve';

/** `pglens advise`: exit 0 with the advice, 1 when a statement could not be planned, 2 on bad usage. */
export async function runAdvise(args: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        file: { type: 'string', short: 'f' },
        db: { type: 'string' },
        workload: { type: 'boolean', default: false },
        top: { type: 'string', default: '20' },
        format: { type: 'string', default: 'text' },
        'min-reduction': { type: 'string', default: String(DEFAULT_MIN_REDUCTION) },
        'timeout-ms': { type: 'string', default: '5000' },
      },
    });
  } catch (error) {
    io.stderr(`pglens advise: ${(error as Error).message}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const fail = (message: string): number => {
    io.stderr(`pglens advise: ${message}\n`);
    return 2;
  };
  if (values.format !== 'text' && values.format !== 'json') return fail(`--format is text or json, not '${values.format}'`);
  if (!values.db) return fail('give the database to advise on with --db URL (hypopg costs the candidates there, read-only)');
  const timeoutMs = Number(values['timeout-ms']);
  const minReduction = Number(values['min-reduction']);
  const top = Number(values.top);
  if (!(timeoutMs > 0)) return fail(`--timeout-ms needs a positive number, got '${values['timeout-ms']}'`);
  if (!(minReduction > 0 && minReduction < 1)) return fail(`--min-reduction is a share between 0 and 1 (0.5: half the cost), got '${values['min-reduction']}'`);
  if (!(Number.isInteger(top) && top > 0)) return fail(`--top needs a positive whole number, got '${values.top}'`);
  let sql = '';
  if (!values.workload) {
    try {
      sql = values.file !== undefined ? fs.readFileSync(values.file, 'utf8') : positionals.join(' ');
    } catch (error) {
      return fail(`cannot read ${values.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    if (sql.trim() === '') return fail('give SQL as an argument or with -f FILE (or --workload to read pg_stat_statements)');
  }
  const options: AdviseOptions = { timeoutMs, minReduction };
  let db: PgDatabase;
  try {
    db = await openDatabase(resolveInput(values.db), { statementTimeoutMs: timeoutMs, userDatabase: true });
  } catch (error) {
    return fail(`cannot use the database ${redactSecrets(values.db)}: ${(error as Error).message}`);
  }
  try {
    if (values.workload) {
      const report = await adviseWorkload(db, { ...options, top });
      if (values.format === 'json') io.stdout(`${JSON.stringify(report, null, 2)}\n`);
      else io.stdout(workloadText(report));
      return report.error ? 1 : 0;
    }
    await loadParser();
    const statements = splitStatements(sql)
      .filter((segment) => segment.kind === 'statement' && segment.sql.trim() !== '')
      .map((segment) => segment.sql.trim().replace(/;$/, '').trim());
    const snapshot = await loadSnapshot(db).catch((): SchemaSnapshot | undefined => undefined);
    const reports: AdviceReport[] = [];
    for (const text of statements) reports.push(await adviceReport(db, text, snapshot, options));
    io.stdout(values.format === 'json' ? `${JSON.stringify(adviceJson(reports), null, 2)}\n` : adviceText(reports));
    return reports.some((report) => report.note && report.hints.length === 0 && report.indexes.length === 0 && !report.note.startsWith('hypopg')) ? 1 : 0;
  } catch (error) {
    io.stderr(`pglens advise: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await db.close();
  }
}

/** The JSON contract: `{"statements":[{"text","indexes":[{"create","costBefore","costAfter"}],"hints":[{"kind","severity","title"}]}]}`. */
export function adviceJson(reports: AdviceReport[]): unknown {
  return {
    statements: reports.map((report) => ({
      text: report.text,
      indexes: report.indexes.map((advised) => ({
        create: advised.create,
        costBefore: round(advised.costBefore),
        costAfter: round(advised.costAfter),
        ...(advised.estimated ? { estimated: true } : {}),
        ...(advised.index.requires ? { requires: `CREATE EXTENSION IF NOT EXISTS ${advised.index.requires}` } : {}),
        ...(advised.together ? { together: advised.together } : {}),
      })),
      hints: report.hints.filter((hint) => hint.kind !== 'index-advice').map((hint) => ({ kind: hint.kind, severity: hint.severity, title: hint.title, advice: hint.advice })),
      ...(report.note ? { note: report.note } : {}),
    })),
  };
}

function adviceText(reports: AdviceReport[]): string {
  return reports
    .map((report) => {
      const lines = [oneLine(report.text)];
      if (report.note) lines.push(`  note  ${report.note}`);
      const shown = new Set<string>();
      for (const advised of report.indexes) {
        if (shown.has(advised.create)) continue;
        for (const create of [advised.create, ...(advised.together ?? [])]) shown.add(create);
        lines.push(`  index  ${costChange(advised)}${advised.estimated ? ' (estimated: hypopg cannot cost GIN)' : ''}${advised.together ? ' (together, for the OR)' : ''}`);
        if (advised.index.requires) lines.push(`         CREATE EXTENSION IF NOT EXISTS ${advised.index.requires};`);
        for (const create of [advised.create, ...(advised.together ?? [])]) lines.push(`         ${create};`);
      }
      if (report.indexes.length === 0 && !report.note) lines.push('  no index cuts the cost by half');
      for (const hint of report.hints.filter((item) => item.kind !== 'index-advice')) lines.push(`  ${hint.severity}  ${hint.title}\n         ${hint.advice}`);
      return `${lines.join('\n')}\n`;
    })
    .join('\n');
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 117)}…` : flat;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
