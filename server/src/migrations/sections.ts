/**
 * What runs on "up" in a migration file, per tool, and whether the tool wraps it in one transaction.
 * Pure on the text, so the language server can recompute the sections of an edited, unsaved document.
 */
import { splitStatements } from '../sql/splitter';
import { isFlywayNonTransactional } from './flyway';
import type { MigrationSections, MigrationTool, SectionOptions } from './types';

/** The "up" parts of a migration's text and whether the tool wraps them in one transaction. */
export function sectionsOf(tool: MigrationTool, text: string, options: SectionOptions = {}): MigrationSections {
  switch (tool) {
    case 'dbmate':
      return dbmateSections(text);
    case 'goose':
      return gooseSections(text);
    case 'golang-migrate': {
      const up = [wholeText(text)];
      return { up, transactional: statementsIn(text, up).length > 1 };
    }
    case 'flyway': {
      const up = [wholeText(text)];
      const transactional = options.executeInTransaction ?? !statementsIn(text, up).some(isFlywayNonTransactional);
      return { up, transactional };
    }
    case 'supabase':
      return { up: [wholeText(text)], transactional: true };
    case 'prisma':
    case 'sqitch':
    case 'plain':
      return { up: [wholeText(text)], transactional: false };
  }
}

/**
 * Tools whose transaction is PostgreSQL's implicit one (several statements sent as one simple query or
 * one batch), not a BEGIN: a BEGIN in the file turns it into an explicit block and its COMMIT ends
 * it, so the file's own BEGIN/COMMIT is not nested in anything.
 */
export function wrapsImplicitly(tool: MigrationTool | undefined): boolean {
  return tool === 'supabase' || tool === 'golang-migrate';
}

function wholeText(text: string): { start: number; end: number } {
  return { start: text.charCodeAt(0) === 0xfeff ? 1 : 0, end: text.length };
}

function statementsIn(text: string, ranges: Array<{ start: number; end: number }>): string[] {
  const statements: string[] = [];
  for (const range of ranges) {
    for (const segment of splitStatements(text.slice(range.start, range.end))) if (segment.kind === 'statement') statements.push(segment.sql);
  }
  return statements;
}

export function lineEndOf(text: string, from: number): number {
  const newline = text.indexOf('\n', from);
  return newline < 0 ? text.length : newline;
}

// dbmate's patterns (pkg/dbmate/migration.go), with Go's RE2 `\s` ([\t\n\f\r ]) and multi-line `^`/`$`
// (after/before "\n" only) spelled out: `(?m)^--\s*migrate:up(\s*$|\s+\S+)`.
const GO_SPACE = '[\\t\\n\\f\\r ]';
const GO_NON_SPACE = '[^\\t\\n\\f\\r ]';
const DBMATE_UP = new RegExp(`--${GO_SPACE}*migrate:up(?:${GO_SPACE}*(?=\\n|$)|${GO_SPACE}+${GO_NON_SPACE})`, 'y');
const DBMATE_DOWN = new RegExp(`--${GO_SPACE}*migrate:down(?:${GO_SPACE}*(?=\\n|$)|${GO_SPACE}+${GO_NON_SPACE})`, 'y');
const DBMATE_DIRECTIVE = new RegExp(`^--${GO_SPACE}*migrate:(up|down)`);

interface DbmateMarker {
  kind: 'up' | 'down';
  /** Offset of the marker's `--`, at a line start. */
  start: number;
}

export function dbmateMarkers(text: string): DbmateMarker[] {
  const markers: DbmateMarker[] = [];
  let lineStart = 0;
  while (lineStart <= text.length) {
    if (text.startsWith('--', lineStart)) {
      DBMATE_UP.lastIndex = lineStart;
      DBMATE_DOWN.lastIndex = lineStart;
      if (DBMATE_UP.test(text)) markers.push({ kind: 'up', start: lineStart });
      else if (DBMATE_DOWN.test(text)) markers.push({ kind: 'down', start: lineStart });
    }
    const newline = text.indexOf('\n', lineStart);
    if (newline < 0) break;
    lineStart = newline + 1;
  }
  return markers;
}

function dbmateSections(text: string): MigrationSections {
  const markers = dbmateMarkers(text);
  const ups = markers.filter((marker) => marker.kind === 'up');
  const up: Array<{ start: number; end: number }> = [];
  let transactional = true;
  ups.forEach((marker, index) => {
    // dbmate splits the file at each `migrate:up`; a section's up part ends at its `migrate:down`.
    const sectionEnd = index + 1 < ups.length ? ups[index + 1].start : text.length;
    const down = markers.find((candidate) => candidate.kind === 'down' && candidate.start > marker.start && candidate.start < sectionEnd);
    const firstLineEnd = lineEndOf(text, marker.start);
    up.push({ start: Math.min(firstLineEnd + 1, text.length), end: down ? down.start : sectionEnd });
    if (dbmateOptions(text.slice(marker.start, firstLineEnd)).transaction === 'false') transactional = false;
  });
  return { up, transactional };
}

/** dbmate's parseMigrationOptions: `key:value` pairs after the directive on its first line. */
function dbmateOptions(firstLine: string): Record<string, string> {
  const options: Record<string, string> = {};
  const rest = firstLine.replace(DBMATE_DIRECTIVE, '').trim();
  if (rest === '') return options;
  for (const pair of rest.split(/[\t\n\v\f\r ]+/)) {
    const parts = pair.split(':');
    if (parts.length === 2) options[parts[0]] = parts[1];
  }
  return options;
}

type GooseAnnotation = 'up' | 'down' | 'statementbegin' | 'statementend' | 'no transaction' | 'envsub on' | 'envsub off';
const GOOSE_ANNOTATIONS: readonly GooseAnnotation[] = ['up', 'down', 'statementbegin', 'statementend', 'no transaction', 'envsub on', 'envsub off'];

export interface GooseAnnotationLine {
  kind: GooseAnnotation;
  /** Offset of the annotation line's first character. */
  start: number;
  /** Offset just past the line's "\n" (or the end of the text). */
  next: number;
}

/** goose's annotation lines (internal/sqlparser/parser.go): `-- +goose <annotation>`, case-insensitive, no leading whitespace. */
export function gooseAnnotations(text: string): GooseAnnotationLine[] {
  const annotations: GooseAnnotationLine[] = [];
  if (!text.includes('+goose')) return annotations;
  let lineStart = 0;
  while (lineStart <= text.length) {
    const lineEnd = lineEndOf(text, lineStart);
    const line = text.slice(lineStart, lineEnd);
    const next = Math.min(lineEnd + 1, text.length);
    if (line.trim().startsWith('--') && line.includes('+goose') && !/^[ \t]/.test(line)) {
      const command = line.replaceAll('--', '').replace('+goose', '');
      if (!command.includes('+goose')) {
        const kind = GOOSE_ANNOTATIONS.find((annotation) => annotation === command.trim().toLowerCase());
        if (kind) annotations.push({ kind, start: lineStart, next });
      }
    }
    if (lineEnd >= text.length) break;
    lineStart = lineEnd + 1;
  }
  return annotations;
}

function gooseSections(text: string): MigrationSections {
  const annotations = gooseAnnotations(text);
  const transactional = !annotations.some((annotation) => annotation.kind === 'no transaction');
  const upIndex = annotations.findIndex((annotation) => annotation.kind === 'up');
  if (upIndex < 0) return { up: [], transactional };
  const upLine = annotations[upIndex];
  const down = annotations.slice(upIndex + 1).find((annotation) => annotation.kind === 'down');
  return { up: [{ start: upLine.next, end: down ? down.start : text.length }], transactional };
}
