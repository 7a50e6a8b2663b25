/**
 * Reads the conditions PostgreSQL prints in a VERBOSE plan (`Filter`, `Index Cond`, `Hash Cond`…):
 * PostgreSQL's own deparse, so every binary operator has a space on each side, every column is
 * qualified by its alias, and sub-expressions are parenthesised. Only that regular text is read here;
 * anything else is left out, never guessed.
 */

/** One side of a comparison, and the aliases it references. */
export interface Operand {
  text: string;
  /** Aliases qualifying column references (`i` for `i.project_id`). */
  aliases: Set<string>;
}

export interface Atom {
  kind: 'atom';
  /** The comparison as printed, outer parentheses removed. */
  text: string;
  /** `=`, `<>`, `<`, `<=`, `>`, `>=`, `= ANY`, `~~`, `~~*`, `@>`, `IS NULL`, `IS NOT NULL`, `true`, `false`, or `other`. */
  operator: string;
  left: Operand;
  right?: Operand;
}

export interface Or {
  kind: 'or';
  text: string;
  /** Each side of the OR, as its AND-ed parts. */
  branches: Condition[][];
}

export type Condition = Atom | Or;

const BINARY_OPERATORS = [' = ANY ', ' ~~* ', ' ~~ ', ' @> ', ' <= ', ' >= ', ' <> ', ' = ', ' < ', ' > '];

/** The AND-ed parts of a condition text. */
export function readConjuncts(text: string): Condition[] {
  return splitTopLevel(stripParens(text), ' AND ').map((part) => readPart(stripParens(part)));
}

function readPart(text: string): Condition {
  const branches = splitTopLevel(text, ' OR ');
  if (branches.length > 1) return { kind: 'or', text, branches: branches.map((branch) => readConjuncts(branch)) };
  return readAtom(text);
}

function readAtom(text: string): Atom {
  for (const test of ['IS NOT NULL', 'IS NULL']) {
    if (text.endsWith(` ${test}`)) return { kind: 'atom', text, operator: test, left: operand(text.slice(0, -test.length - 1)) };
  }
  for (const op of BINARY_OPERATORS) {
    const at = findTopLevel(text, op);
    if (at < 0) continue;
    return { kind: 'atom', text, operator: op.trim(), left: operand(text.slice(0, at)), right: operand(text.slice(at + op.length)) };
  }
  if (text.startsWith('NOT ')) return { kind: 'atom', text, operator: 'false', left: operand(text.slice(4)) };
  if (COLUMN_ONLY.test(text)) return { kind: 'atom', text, operator: 'true', left: operand(text) };
  return { kind: 'atom', text, operator: 'other', left: operand(text) };
}

const NAME = String.raw`(?:"(?:[^"]|"")+"|[a-z_][a-z0-9_$]*)`;
const COLUMN_ONLY = new RegExp(`^${NAME}\\.${NAME}$`, 'i');
const QUALIFIED = new RegExp(`(${NAME})\\.(?=${NAME})`, 'gi');

function operand(raw: string): Operand {
  const text = stripParens(raw);
  const aliases = new Set<string>();
  for (const piece of outsideLiterals(text)) {
    for (const match of piece.matchAll(QUALIFIED)) {
      // `(InitPlan 1).col1` and casts such as `'x'::pg_catalog.text` are not column references.
      const before = piece[match.index - 1];
      if (before === ':' || before === ')' || before === '.') continue;
      aliases.add(unquote(match[1]));
    }
  }
  return { text, aliases };
}

/** The column name when the operand is exactly `alias.column`. */
export function bareColumn(operand: Operand, alias: string): string | undefined {
  const match = new RegExp(`^(${NAME})\\.(${NAME})$`, 'i').exec(operand.text);
  return match && unquote(match[1]) === alias ? unquote(match[2]) : undefined;
}

/** The text with `alias.` removed from column references (index expressions and predicates name bare columns). */
export function unqualify(text: string, alias: string): string {
  let out = '';
  let k = 0;
  while (k < text.length) {
    if (text[k] === "'") {
      const end = literalEnd(text, k);
      out += text.slice(k, end);
      k = end;
      continue;
    }
    const rest = text.slice(k);
    const match = new RegExp(`^(${NAME})\\.(?=${NAME})`, 'i').exec(rest);
    const before = text[k - 1];
    if (match && !(before && /[\w$".:)]/.test(before))) {
      if (unquote(match[1]) === alias) {
        k += match[0].length;
        continue;
      }
      out += match[0];
      k += match[0].length;
      continue;
    }
    out += text[k];
    k++;
  }
  return out;
}

/** A value fixed while the statement runs: a literal, a parameter, an InitPlan, now() ± an interval. */
export function isRuntimeConstant(operand: Operand): boolean {
  if (operand.aliases.size > 0) return false;
  const code = outsideLiterals(operand.text).join(' ');
  // Volatile functions change per row; stable ones (now(), current_date) are constants for the statement.
  return !/\b(random|clock_timestamp|timeofday|nextval|gen_random_uuid)\s*\(/i.test(code) && !/SubPlan/.test(code);
}

/** A literal written in the query (not a parameter, not now()). */
export function isLiteral(operand: Operand): boolean {
  return /^('(?:[^']|'')*'|-?\d+(?:\.\d+)?|true|false)(::[\w ."[\]]+)?$/i.test(operand.text);
}

/** `'%smith%'::text` → `%smith%`. */
export function literalText(operand: Operand): string | undefined {
  const match = /^'((?:[^']|'')*)'(::[\w ."[\]]+)?$/.exec(operand.text);
  return match ? match[1].replace(/''/g, "'") : undefined;
}

/** The cast of a literal (`jsonb` in `'{"a": 1}'::jsonb`). */
export function literalType(operand: Operand): string | undefined {
  return /'::([\w ."[\]]+)$/.exec(operand.text)?.[1];
}

export function stripParens(text: string): string {
  let current = text.trim();
  while (current.startsWith('(') && current.endsWith(')') && closingOf(current, 0) === current.length - 1) current = current.slice(1, -1).trim();
  return current;
}

function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let at = findTopLevel(text, separator, 0); at >= 0; at = findTopLevel(text, separator, start)) {
    parts.push(text.slice(start, at));
    start = at + separator.length;
  }
  parts.push(text.slice(start));
  return parts;
}

/** Position of `needle` outside parentheses and string literals, from `from`. */
function findTopLevel(text: string, needle: string, from = 0): number {
  let depth = 0;
  for (let k = 0; k < text.length; k++) {
    const char = text[k];
    if (char === "'" || char === '"') {
      k = (char === "'" ? literalEnd(text, k) : quotedEnd(text, k)) - 1;
      continue;
    }
    if (char === '(' || char === '[') depth++;
    else if (char === ')' || char === ']') depth--;
    else if (depth === 0 && k >= from && text.startsWith(needle, k)) return k;
  }
  return -1;
}

function closingOf(text: string, open: number): number {
  let depth = 0;
  for (let k = open; k < text.length; k++) {
    const char = text[k];
    if (char === "'" || char === '"') {
      k = (char === "'" ? literalEnd(text, k) : quotedEnd(text, k)) - 1;
      continue;
    }
    if (char === '(') depth++;
    else if (char === ')' && --depth === 0) return k;
  }
  return -1;
}

/** Index just past the string literal opening at `start` ('' escapes a quote). */
function literalEnd(text: string, start: number): number {
  let k = start + 1;
  while (k < text.length) {
    if (text[k] === "'") {
      if (text[k + 1] === "'") k += 2;
      else return k + 1;
    } else k++;
  }
  return text.length;
}

function quotedEnd(text: string, start: number): number {
  let k = start + 1;
  while (k < text.length) {
    if (text[k] === '"') {
      if (text[k + 1] === '"') k += 2;
      else return k + 1;
    } else k++;
  }
  return text.length;
}

/** The pieces of the text outside string literals. */
function outsideLiterals(text: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  for (let k = 0; k < text.length; k++) {
    if (text[k] !== "'") continue;
    pieces.push(text.slice(start, k));
    k = literalEnd(text, k) - 1;
    start = k + 1;
  }
  pieces.push(text.slice(start));
  return pieces;
}

export function unquote(name: string): string {
  return name.startsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name;
}
