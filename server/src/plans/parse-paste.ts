/**
 * What people paste around a plan, removed before the plan is read: auto_explain's log lines
 * (`LOG:  duration: … ms  plan:`), prose, `--` and `#` comments, psql prompts and commands before it,
 * a result grid's frame (see frame.ts), `(N rows)` footers, and quotes around every line (`'…'` or
 * `"…"`, from pgAdmin's or DBeaver's copy of a cell). Finds where the plan starts and in which format.
 */
import { PlanParseError } from './errors';
import type { SourceLine } from './frame';
import { asciiBoxes, FOOTER, toLines, unframe } from './frame';
import { hasNodeFigures, NODE_TYPES, parseNodeLine } from './text-node';

export type PlanFormat = 'json' | 'text' | 'yaml' | 'xml';

export interface PastedPlan {
  format: PlanFormat;
  /** The plan's lines, from its first line on (text after a JSON or XML value is left to its reader). */
  lines: SourceLine[];
  /** auto_explain's `Query Text:` of a TEXT plan (JSON, YAML and XML carry it inside). */
  queryText?: string;
}

/** `2024-05-01 10:00:00 UTC [123] LOG:  duration: 0.5 ms  plan:` (and `statement: …` logs of log_min_duration). */
const AUTO_EXPLAIN = /\bduration: [\d.]+ ms\s+plan:\s*(.*)$/;
/** A new log entry at the left margin ends an auto_explain plan. */
const LOG_ENTRY = /^\S.*\b(LOG|STATEMENT|DETAIL|ERROR|WARNING|HINT|CONTEXT|NOTICE|FATAL):\s/;

/** Splits the input into the plans it holds: one per auto_explain entry, else the whole text. */
export function readPaste(text: string): PastedPlan[] {
  const all = toLines(asciiBoxes(text));
  const starts = all.flatMap((entry, k) => (AUTO_EXPLAIN.test(entry.text) ? [k] : []));
  if (starts.length === 0) return [readSegment(all)];
  return starts.map((start, n) => {
    const end = n + 1 < starts.length ? starts[n + 1] : all.length;
    const head = AUTO_EXPLAIN.exec(all[start].text)![1];
    const lines: SourceLine[] = head.trim() ? [{ text: head, line: all[start].line }] : [];
    for (let k = start + 1; k < end; k++) {
      if (LOG_ENTRY.test(all[k].text)) break;
      lines.push(all[k]);
    }
    return readSegment(lines, all[start].line);
  });
}

function readSegment(input: SourceLine[], fallbackLine = 1): PastedPlan {
  // Footers, `#` comments and psql's `\timing` lines can sit anywhere around or after the plan.
  let lines = unframe(input).lines.filter((entry) => !FOOTER.test(entry.text) && !/^\s*#/.test(entry.text) && !/^Time: [\d.,]+ ms/.test(entry.text));
  lines = unquote(lines);
  const start = lines.findIndex((entry) => startFormat(entry.text) !== undefined);
  if (start < 0) {
    const first = lines.find((entry) => entry.text.trim() !== '');
    if (!first) throw new PlanParseError('the plan is empty', fallbackLine);
    throw new PlanParseError(`expected a plan node, found "${clip(first.text.trim())}"`, first.line);
  }
  const format = startFormat(lines[start].text)!;
  const before = lines.slice(0, start).map((entry) => entry.text);
  const queryAt = before.findIndex((line) => /^\s*Query Text: /.test(line));
  const plan: PastedPlan = { format, lines: lines.slice(start) };
  if (queryAt >= 0 && format === 'text') {
    plan.queryText = [before[queryAt].replace(/^\s*Query Text: /, ''), ...before.slice(queryAt + 1).map((line) => line.trim())].join('\n').trim();
  }
  return plan;
}

/** The format a plan starting on this line has, or undefined when no plan starts here. */
function startFormat(text: string): PlanFormat | undefined {
  const content = text.trim();
  if (/^(\[\s*(\{.*)?|\{\s*("(Plan|Node Type|Query Text)".*)?)$/.test(content)) return 'json';
  if (/^(<\?xml\b|<explain\b)/.test(content)) return 'xml';
  if (/^-\s+(Plan|Query Text):/.test(content)) return 'yaml';
  const node = content.startsWith('->') ? content.slice(2).trim() : content;
  // The figures may continue on the next line (cut by a terminal): the name must read as a node.
  if (hasNodeFigures(node) && parseNodeLine(node.replace(/\s+\((cost=|actual |never executed).*$/, ''))) return 'text';
  // COSTS OFF: a bare node name, which must be followed by something indented or an arrow.
  const bare = parseNodeLine(node);
  if (bare && NODE_TYPES.has(bare['Node Type']) && /^[A-Z]/.test(node)) return 'text';
  return undefined;
}

/**
 * Every line in single or double quotes (a grid's copy of each cell), or, as some tools copy it, each
 * line ending with the quote alone: the quotes go and doubled quotes inside become one.
 */
function unquote(lines: SourceLine[]): SourceLine[] {
  const rows = lines.filter((entry) => entry.text.trim() !== '');
  for (const quote of ['"', "'"]) {
    const closed = (entry: SourceLine): boolean => /[,;]?$/.test(entry.text) && entry.text.trimEnd().replace(/[,;]$/, '').endsWith(quote);
    if (rows.length === 0 || !rows.every(closed)) continue;
    return lines.map((entry) => {
      let value = entry.text.trimEnd().replace(/[,;]$/, '');
      if (value.trim() === '') return entry;
      value = value.slice(0, -1);
      const open = value.indexOf(quote);
      if (open >= 0 && value.slice(0, open).trim() === '') value = value.slice(0, open) + value.slice(open + 1);
      return { ...entry, text: value.split(quote + quote).join(quote) };
    });
  }
  return lines;
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
