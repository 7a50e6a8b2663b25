/**
 * Splits a SQL document into statements the way PostgreSQL's lexer and psql (psqlscan.l) do: `;` ends
 * a statement only outside quotes, comments, parentheses and the `BEGIN ATOMIC … END` body of a
 * `CREATE [OR REPLACE] FUNCTION|PROCEDURE` (the only place the grammar has one). A `--` comment ends
 * at CR or LF, as in PostgreSQL's scanner. psql meta-commands
 * and `COPY … FROM stdin` data blocks become segments of their own, so they are never parsed as SQL.
 *
 * This runs on every keystroke over the whole document, so it is a single hand-written pass;
 * libpg-query then parses each statement on its own (see parser.ts), which keeps re-parsing
 * incremental and makes one bad statement unable to hide the others.
 */

export type SegmentKind = 'statement' | 'psql' | 'copy-data';

export interface Segment {
  kind: SegmentKind;
  /** UTF-16 offset of the first character (never whitespace or a comment before the statement). */
  start: number;
  /** UTF-16 offset just past the last character (past the `;` when there is one). */
  end: number;
  /**
   * The text to parse, of length `end - start`; psql meta-commands inside a statement are blanked
   * out with spaces so that offsets stay aligned with the document.
   */
  sql: string;
  /**
   * Offsets just past `;` characters that did not end the statement because a parenthesis was
   * open. When the statement fails to parse, it is re-split there, so that one missing `)` does
   * not hide the checks of every statement after it.
   */
  softEnds?: number[];
}

const enum Char {
  Tab = 9,
  LineFeed = 10,
  CarriageReturn = 13,
  Space = 32,
  DoubleQuote = 34,
  Dollar = 36,
  SingleQuote = 39,
  OpenParen = 40,
  CloseParen = 41,
  Star = 42,
  Minus = 45,
  Slash = 47,
  Semicolon = 59,
  Backslash = 92,
}

/** psql commands that send the query buffer, ending the statement like `;` does. */
const SENDING_META_COMMANDS = /^\\(g|gx|gset|gexec|gdesc|crosstabview|watch|bind|bind_named|sendpipeline)\b/;

function isIdentifierChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || // a-z
    (code >= 65 && code <= 90) || // A-Z
    (code >= 48 && code <= 57) || // 0-9
    code === 95 || // _
    code === 36 || // $
    code >= 0x80
  );
}

function isIdentifierStart(code: number): boolean {
  return isIdentifierChar(code) && !(code >= 48 && code <= 57) && code !== 36;
}

function isSpace(code: number): boolean {
  return code === Char.Space || code === Char.Tab || code === Char.LineFeed || code === Char.CarriageReturn || code === 12 || code === 11;
}

/** goose's annotation (internal/sqlparser/parser.go): `--` then `+goose StatementEnd`, case-insensitive. */
const GOOSE_STATEMENT_END = /^--\s*\+goose\s+statementend\s*$/i;

export function splitStatements(text: string): Segment[] {
  const segments: Segment[] = [];
  const length = text.length;
  let i = 0;
  let statementStart = -1; // -1: between statements
  let parenDepth = 0;
  let atomicDepth = 0; // BEGIN ATOMIC … END nesting, counting CASE … END inside it
  let firstWord = '';
  let leadingWords: string[] = []; // up to the first four words: is this CREATE [OR REPLACE] FUNCTION|PROCEDURE?
  let previousToken = ''; // the previous token when it was a word, else ''
  let masks: Array<[number, number]> = [];
  let softEnds: number[] = [];

  const finishStatement = (end: number): void => {
    if (statementStart < 0) return;
    let sql = text.slice(statementStart, end);
    if (masks.length > 0) {
      const chars = sql.split('');
      for (const [from, to] of masks) for (let k = from; k < Math.min(to, end); k++) chars[k - statementStart] = ' ';
      sql = chars.join('');
    }
    const segment: Segment = { kind: 'statement', start: statementStart, end, sql };
    if (softEnds.length > 0) segment.softEnds = softEnds.filter((offset) => offset < end);
    segments.push(segment);
    const isCopyFromStdin = firstWord === 'copy' && /\bfrom\s+stdin\b/i.test(sql);
    statementStart = -1;
    parenDepth = 0;
    atomicDepth = 0;
    firstWord = '';
    leadingWords = [];
    previousToken = '';
    masks = [];
    softEnds = [];
    if (isCopyFromStdin) i = skipCopyData(end);
  };

  /** After `COPY … FROM stdin;` the data runs from the next line to a line `\.` (or the end). */
  const skipCopyData = (from: number): number => {
    let lineStart = text.indexOf('\n', from);
    if (lineStart < 0) return length;
    lineStart += 1;
    let cursor = lineStart;
    while (cursor < length) {
      let lineEnd = text.indexOf('\n', cursor);
      if (lineEnd < 0) lineEnd = length;
      const line = text.slice(cursor, lineEnd).replace(/\r$/, '');
      cursor = lineEnd + 1;
      if (line === '\\.') {
        segments.push({ kind: 'copy-data', start: lineStart, end: lineEnd, sql: '' });
        return Math.min(cursor, length);
      }
    }
    if (lineStart < length) segments.push({ kind: 'copy-data', start: lineStart, end: length, sql: '' });
    return length;
  };

  while (i < length) {
    const code = text.charCodeAt(i);

    if (isSpace(code)) {
      i++;
      continue;
    }

    // -- line comment, to the next CR or LF
    if (code === Char.Minus && text.charCodeAt(i + 1) === Char.Minus) {
      const end = lineCommentEnd(text, i, length);
      // goose's `-- +goose StatementEnd` (at a line start) ends the statement, `;` or not.
      const lineStart = i === 0 || text.charCodeAt(i - 1) === Char.LineFeed || text.charCodeAt(i - 1) === Char.CarriageReturn;
      if (statementStart >= 0 && lineStart && GOOSE_STATEMENT_END.test(text.slice(i, end))) {
        finishStatement(trimEndOffset(text, statementStart, i));
      }
      i = end;
      continue;
    }

    // /* block comment */, nested as PostgreSQL allows; an unterminated one is an error to report
    if (code === Char.Slash && text.charCodeAt(i + 1) === Char.Star) {
      const comment = blockComment(text, i);
      if (!comment.closed && statementStart < 0) statementStart = i;
      i = comment.end;
      continue;
    }

    // psql meta-command: backslash to end of line
    if (code === Char.Backslash) {
      let end = text.indexOf('\n', i);
      if (end < 0) end = length;
      let contentEnd = end;
      if (text.charCodeAt(contentEnd - 1) === Char.CarriageReturn) contentEnd--;
      const command = text.slice(i, contentEnd);
      if (statementStart < 0) {
        segments.push({ kind: 'psql', start: i, end: contentEnd, sql: '' });
        if (/^\\copy\b.*\bfrom\s+(stdin|pstdin)\b/i.test(command)) {
          i = skipCopyData(contentEnd);
          continue;
        }
      } else if (SENDING_META_COMMANDS.test(command)) {
        const statementEnd = i;
        finishStatement(trimEndOffset(text, statementStart, statementEnd));
        segments.push({ kind: 'psql', start: statementEnd, end: contentEnd, sql: '' });
      } else {
        masks.push([i, contentEnd]);
      }
      i = Math.max(i, end);
      continue;
    }

    if (statementStart < 0) statementStart = i;
    if (!isIdentifierStart(code)) previousToken = '';

    switch (code) {
      case Char.Semicolon:
        i++;
        if (parenDepth <= 0 && atomicDepth <= 0) finishStatement(i);
        else if (atomicDepth <= 0) softEnds.push(i);
        continue;
      case Char.OpenParen:
        parenDepth++;
        i++;
        continue;
      case Char.CloseParen:
        if (parenDepth > 0) parenDepth--;
        i++;
        continue;
      case Char.SingleQuote:
        i = skipQuoted(text, i, Char.SingleQuote, isEscapeStringPrefix(text, i));
        continue;
      case Char.DoubleQuote:
        i = skipQuoted(text, i, Char.DoubleQuote, false);
        continue;
      case Char.Dollar: {
        const end = skipDollarQuote(text, i);
        if (end > 0) {
          i = end;
          continue;
        }
        i++;
        continue;
      }
    }

    if (isIdentifierStart(code)) {
      let end = i + 1;
      while (end < length && isIdentifierChar(text.charCodeAt(end))) end++;
      const word = text.slice(i, end).toLowerCase();
      if (firstWord === '') firstWord = word;
      if (leadingWords.length < 4) leadingWords.push(word);
      if (word === 'atomic' && previousToken === 'begin' && parenDepth === 0 && isRoutineHeader(leadingWords)) atomicDepth++;
      else if (atomicDepth > 0 && word === 'case') atomicDepth++;
      else if (atomicDepth > 0 && word === 'end') atomicDepth--;
      previousToken = word;
      i = end;
      continue;
    }

    // numbers, operators, punctuation: nothing that can hide a `;`, but `begin, atomic` is not BEGIN ATOMIC
    previousToken = '';
    i++;
  }

  if (statementStart >= 0) finishStatement(trimEndOffset(text, statementStart, length));
  return segments;
}

/** Moves `end` back over trailing whitespace and comments, so a final statement without `;` ends at its last token. */
function trimEndOffset(text: string, start: number, end: number): number {
  // Re-scan forward to find the end of the last token; comments may contain anything.
  let lastTokenEnd = start;
  let i = start;
  while (i < end) {
    const code = text.charCodeAt(i);
    if (isSpace(code)) {
      i++;
    } else if (code === Char.Minus && text.charCodeAt(i + 1) === Char.Minus) {
      i = lineCommentEnd(text, i, end);
    } else if (code === Char.Slash && text.charCodeAt(i + 1) === Char.Star) {
      const comment = blockComment(text, i);
      i = Math.min(comment.end, end);
      if (!comment.closed) lastTokenEnd = i;
    } else if (code === Char.SingleQuote) {
      i = lastTokenEnd = Math.min(skipQuoted(text, i, Char.SingleQuote, isEscapeStringPrefix(text, i)), end);
    } else if (code === Char.DoubleQuote) {
      i = lastTokenEnd = Math.min(skipQuoted(text, i, Char.DoubleQuote, false), end);
    } else if (code === Char.Dollar && skipDollarQuote(text, i) > 0) {
      i = lastTokenEnd = Math.min(skipDollarQuote(text, i), end);
    } else {
      i++;
      lastTokenEnd = i;
    }
  }
  return lastTokenEnd;
}

/** CREATE [OR REPLACE] FUNCTION|PROCEDURE: the statements whose body may be BEGIN ATOMIC … END. */
function isRoutineHeader(words: string[]): boolean {
  const routine = (word: string | undefined): boolean => word === 'function' || word === 'procedure';
  if (words[0] !== 'create') return false;
  return routine(words[1]) || (words[1] === 'or' && words[2] === 'replace' && routine(words[3]));
}

/** The offset of the CR or LF ending the `--` comment at `start` (PostgreSQL's newline is either), or `limit`. */
function lineCommentEnd(text: string, start: number, limit: number): number {
  for (let i = start + 2; i < limit; i++) {
    const code = text.charCodeAt(i);
    if (code === Char.LineFeed || code === Char.CarriageReturn) return i;
  }
  return limit;
}

/** The end of the block comment opening at `start`, and whether it is closed before the end of the text. */
export function blockComment(text: string, start: number): { end: number; closed: boolean } {
  let depth = 0;
  let i = start;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === Char.Slash && text.charCodeAt(i + 1) === Char.Star) {
      depth++;
      i += 2;
    } else if (code === Char.Star && text.charCodeAt(i + 1) === Char.Slash) {
      depth--;
      i += 2;
      if (depth === 0) return { end: i, closed: true };
    } else {
      i++;
    }
  }
  return { end: text.length, closed: false };
}

/** `E'…'` strings take backslash escapes; the E must be a prefix, not the end of an identifier. */
function isEscapeStringPrefix(text: string, quote: number): boolean {
  const previous = text.charCodeAt(quote - 1);
  if (previous !== 69 && previous !== 101) return false; // E or e
  return quote < 2 || !isIdentifierChar(text.charCodeAt(quote - 2));
}

function skipQuoted(text: string, start: number, quote: number, backslashEscapes: boolean): number {
  let i = start + 1;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (backslashEscapes && code === Char.Backslash) {
      i += 2;
    } else if (code === quote) {
      if (text.charCodeAt(i + 1) === quote) i += 2;
      else return i + 1;
    } else {
      i++;
    }
  }
  return text.length;
}

/** Returns the offset past the closing `$tag$`, or -1 when `$` does not open a dollar quote here. */
export function skipDollarQuote(text: string, start: number): number {
  // `a$b` is an identifier and `$1` a parameter: a dollar quote cannot follow an identifier character.
  if (start > 0 && isIdentifierChar(text.charCodeAt(start - 1))) return -1;
  let tagEnd = start + 1;
  if (tagEnd < text.length && isIdentifierStart(text.charCodeAt(tagEnd))) {
    tagEnd++;
    while (tagEnd < text.length && isIdentifierChar(text.charCodeAt(tagEnd)) && text.charCodeAt(tagEnd) !== Char.Dollar) tagEnd++;
  }
  if (text.charCodeAt(tagEnd) !== Char.Dollar) return -1;
  const tag = text.slice(start, tagEnd + 1);
  const close = text.indexOf(tag, tagEnd + 1);
  return close < 0 ? text.length : close + tag.length;
}
