import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { ExplainResult, PlanNode } from '../../../protocol/plan';
import { PgDatabase } from '../db/pg';
import type { Database } from '../db/port';
import { explain } from '../explain/runner';
import type { ExplainOptions, ExplainOutcome } from '../explain/runner';
import { formatCount, formatNumber, nodeLabel } from '../features/plan-hover';
import { discoverMigrations } from '../migrations/discover';
import { planHtml } from '../plans/html';
import { tryParsePlan } from '../plans/parse';
import { ShadowSession } from '../shadow/session';
import { loadParser } from '../sql/parser';
import type { CliIo } from './io';
import { redact } from './io';

export { PLAN_USAGE } from './plan-usage';

type Format = 'text' | 'json' | 'html';

/** `pglens explain`: exit 0 with the plan, 1 when PostgreSQL refused it, 2 on bad usage. */
export async function runExplain(args: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        file: { type: 'string', short: 'f' },
        db: { type: 'string' },
        analyze: { type: 'boolean', default: false },
        yes: { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
        format: { type: 'string', default: 'text' },
        theme: { type: 'string', default: 'light' },
        'timeout-ms': { type: 'string', default: '5000' },
        'cache-dir': { type: 'string' },
      },
    });
  } catch (error) {
    io.stderr(`pglens explain: ${(error as Error).message}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const format = checkFormat(values.format, values.theme, 'explain', io);
  if (!format) return 2;
  const sql = values.file !== undefined ? readText(values.file, 'explain', io) : positionals.join(' ');
  if (sql === undefined) return 2;
  if (sql.trim() === '') {
    io.stderr('pglens explain: give one statement, as an argument or with -f FILE\n');
    return 2;
  }
  const timeoutMs = Number(values['timeout-ms']);
  if (!(timeoutMs > 0)) {
    io.stderr(`pglens explain: --timeout-ms needs a positive number, got '${values['timeout-ms']}'\n`);
    return 2;
  }
  await loadParser();
  // The CLI never prompts: --yes is the confirmation that a data change may run (rolled back).
  const options: ExplainOptions = { analyze: values.analyze, confirmedWrites: values.yes, verbose: values.verbose, timeoutMs, format: format === 'text' ? 'text' : 'json' };
  let outcome: ExplainOutcome;
  let source: string;
  try {
    if (values.db) {
      const db = await PgDatabase.connect({ config: { connectionString: values.db }, statementTimeoutMs: timeoutMs });
      try {
        outcome = await explain(db, sql, options);
        source = `PostgreSQL · ${redact(values.db)}`;
      } finally {
        await db.close();
      }
    } else {
      ({ outcome, source } = await explainOnShadow(sql, options, values['cache-dir']));
    }
  } catch (error) {
    io.stderr(`pglens explain: ${values.db ? `cannot use the database ${redact(values.db)}: ` : ''}${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  if (!outcome.ok) {
    const advice = outcome.reason === 'needs-confirmation' ? ' Pass --yes to run it in a transaction that is rolled back.' : '';
    io.stderr(`pglens explain: ${outcome.message}${advice}\n`);
    return outcome.reason === 'database' ? 1 : 2;
  }
  const results = tryParsePlan(outcome.output, { source });
  if ('error' in results) {
    io.stderr(`pglens explain: could not read the plan: ${results.error}\n`);
    return 1;
  }
  // TEXT: PostgreSQL's own output, then pglens's hints.
  io.stdout(format === 'text' ? `${outcome.output}\n${hintsText(results.results)}` : render(results.results, format, values.theme, sql));
  return 0;
}

/** `pglens plan FILE`: exit 0 with the plan, 1 when the file is not a plan pglens can read. */
export async function runPlan(args: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { format: { type: 'string', default: 'text' }, theme: { type: 'string', default: 'light' } } });
  } catch (error) {
    io.stderr(`pglens plan: ${(error as Error).message}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const format = checkFormat(values.format, values.theme, 'plan', io);
  if (!format) return 2;
  if (positionals.length !== 1) {
    io.stderr('pglens plan: give one file holding EXPLAIN output (JSON or TEXT), or - for stdin\n');
    return 2;
  }
  const text = positionals[0] === '-' ? fs.readFileSync(0, 'utf8') : readText(positionals[0], 'plan', io);
  if (text === undefined) return 2;
  const results = tryParsePlan(text);
  if ('error' in results) {
    io.stderr(`pglens plan: ${positionals[0]}${results.line ? `:${results.line}` : ''}: not a plan pglens can read: ${results.error}\n`);
    return 1;
  }
  io.stdout(render(results.results, format, values.theme, path.basename(positionals[0])));
  return 0;
}

async function explainOnShadow(sql: string, options: ExplainOptions, cacheDir: string | undefined): Promise<{ outcome: ExplainOutcome; source: string }> {
  const root = path.resolve('.');
  const migrations = discoverMigrations(root, { rootMayBeFolder: true });
  if (!migrations) throw new Error(`no --db, and no migrations in ${root} to build a schema from`);
  const session = new ShadowSession(migrations, undefined, { cacheDir });
  try {
    const outcome = await session.withFinalState((db: Database) => explain(db, sql, { ...options, nested: true }));
    return { outcome, source: 'embedded shadow: estimates from empty tables' };
  } finally {
    await session.close();
  }
}

function render(results: ExplainResult[], format: Format, theme: string, title: string): string {
  if (format === 'json') return `${JSON.stringify(results, null, 2)}\n`;
  if (format === 'html') {
    const dist = path.join(__dirname, 'webviews');
    return planHtml(results, { script: fs.readFileSync(path.join(dist, 'plan.js'), 'utf8'), css: fs.readFileSync(path.join(dist, 'plan.css'), 'utf8'), theme: theme === 'dark' ? 'dark' : 'light', title });
  }
  return results.map((result) => `${treeText(result)}${hintsText([result])}`).join('\n');
}

/** The plan as an indented tree with pglens's figures per node. */
function treeText(result: ExplainResult): string {
  const lines: string[] = [];
  const figures = result.pglens;
  const head = [`cost ${formatNumber(result.Plan['Total Cost'] ?? 0)}`, `${formatCount(result.Plan['Plan Rows'] ?? 0)} rows (estimated)`];
  if (figures?.totalTime !== undefined) head.push(`${figures.totalTime.toFixed(3)} ms`);
  lines.push(head.join(' · '));
  const visit = (node: PlanNode, depth: number): void => {
    const own = node.pglens;
    const parts = [`cost ${formatNumber(node['Total Cost'] ?? 0)}`, `rows ${formatCount(node['Plan Rows'] ?? 0)}`];
    if (node['Actual Rows'] !== undefined) parts.push(`actual ${formatCount(node['Actual Rows'])} × ${node['Actual Loops'] ?? 1}`);
    if (own?.exclusiveTimePercent !== undefined) parts.push(`${own.exclusiveTimePercent.toFixed(1)}% of time`);
    if (own?.misestimate && own.misestimate.factor >= 10) parts.push(`${own.misestimate.direction}estimated ${Math.round(own.misestimate.factor)}×`);
    lines.push(`${'   '.repeat(depth)}${depth > 0 ? '-> ' : ''}${nodeLabel(node)}  (${parts.join(', ')})`);
    for (const child of node.Plans ?? []) visit(child, depth + 1);
  };
  visit(result.Plan, 0);
  return `${lines.join('\n')}\n`;
}

function hintsText(results: ExplainResult[]): string {
  const hints = results.flatMap((result) => result.pglens?.hints ?? []);
  if (hints.length === 0) return '\nNo hints.\n';
  return `\nHints:\n${hints.map((hint) => `  ${hint.severity === 'warning' ? 'warning' : 'info'}  ${hint.title}\n           ${hint.advice}`).join('\n')}\n`;
}

function checkFormat(format: string | undefined, theme: string | undefined, command: string, io: CliIo): Format | undefined {
  if (format !== 'text' && format !== 'json' && format !== 'html') {
    io.stderr(`pglens ${command}: --format is text, json or html, not '${format}'\n`);
    return undefined;
  }
  if (theme !== 'light' && theme !== 'dark') {
    io.stderr(`pglens ${command}: --theme is light or dark, not '${theme}'\n`);
    return undefined;
  }
  return format;
}

function readText(file: string, command: string, io: CliIo): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    io.stderr(`pglens ${command}: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`);
    return undefined;
  }
}
