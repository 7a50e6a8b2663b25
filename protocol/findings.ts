/**
 * Findings are the engine's output: plain data shared by the language server, the CLI reporters
 * and (later) webviews. The CLI's json reporter prints exactly this shape; keep it stable.
 */

/** 0-based line and UTF-16 character, as in LSP. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface Finding {
  range: Range;
  severity: Severity;
  /** `syntax` for parser errors, a SQLSTATE (e.g. `42P01`) for PostgreSQL's errors, a rule name for lint rules. */
  code: string;
  message: string;
}

/** A finding as the CLI reports it: with the file it belongs to. */
export interface FileFinding extends Finding {
  file: string;
}

export const SYNTAX_CODE = 'syntax';
