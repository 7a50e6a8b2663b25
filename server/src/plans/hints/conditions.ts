/**
 * Reads the simple comparisons of a plan's `Filter` / `Index Cond` text: `(status = 'pending'::text)`,
 * `((a.total > '100'::numeric) AND (a.id IS NULL))`. Anything else is left out (never guessed).
 */

export interface Comparison {
  column: string;
  /** `=`, `<>`, `<`, `<=`, `>`, `>=`, `IS NULL`, `IS NOT NULL`, `= ANY`, `true`, `false`. */
  operator: string;
  /** The other side as printed (a constant, a parameter or a column). */
  value?: string;
  /** True when the other side is a constant or a parameter (`$1`, `(InitPlan 1).col1`). */
  constant: boolean;
  /** The whole comparison as printed, without the outer parentheses. */
  text: string;
}

const COLUMN = String.raw`(?:(?:"(?:[^"]|"")+"|[a-z_][a-z0-9_$]*)\.)?("(?:[^"]|"")+"|[a-z_][a-z0-9_$]*)`;
const OPERAND = new RegExp(`^${COLUMN}$`, 'i');
const BINARY = new RegExp(`^${COLUMN} (=|<>|<|<=|>|>=) (.+)$`, 'i');
const ANY = new RegExp(`^${COLUMN} = ANY \\((.+)\\)$`, 'i');
const NULL_TEST = new RegExp(`^${COLUMN} (IS NULL|IS NOT NULL)$`, 'i');
const NOT = new RegExp(`^NOT ${COLUMN}$`, 'i');

/** Splits a condition at top-level AND and reads each part; parts it cannot read are skipped. */
export function readConditions(text: string): Comparison[] {
  return splitAnd(stripParens(text.trim())).flatMap((part) => {
    const comparison = readOne(stripParens(part.trim()));
    return comparison ? [comparison] : [];
  });
}

function readOne(text: string): Comparison | undefined {
  let match = NULL_TEST.exec(text);
  if (match) return { column: unquote(match[1]), operator: match[2].toUpperCase(), constant: true, text };
  match = ANY.exec(text);
  if (match) return { column: unquote(match[1]), operator: '= ANY', value: match[2], constant: isConstant(match[2]), text };
  match = BINARY.exec(text);
  if (match) {
    const value = stripParens(match[3]);
    return { column: unquote(match[1]), operator: match[2], value, constant: isConstant(value), text };
  }
  match = NOT.exec(text);
  if (match) return { column: unquote(match[1]), operator: 'false', constant: true, text };
  match = OPERAND.exec(text);
  if (match) return { column: unquote(match[1]), operator: 'true', constant: true, text };
  return undefined;
}

/** A literal (`'x'::text`, `42`, `'{1,2}'::integer[]`) or a parameter. */
function isConstant(value: string): boolean {
  return /^('(?:[^']|'')*'(::[\w ."[\]]+)?|-?\d+(\.\d+)?(::[\w ."[\]]+)?|\$\d+|\(InitPlan \d+\)\.col\d+|true|false)$/i.test(value.trim());
}

function splitAnd(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = false;
  let start = 0;
  for (let k = 0; k < text.length; k++) {
    const char = text[k];
    if (char === "'") quote = !quote;
    if (quote) continue;
    if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (depth === 0 && text.startsWith(' AND ', k)) {
      parts.push(text.slice(start, k));
      start = k + 5;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** Removes parentheses that wrap the whole text. */
export function stripParens(text: string): string {
  let current = text.trim();
  while (current.startsWith('(') && current.endsWith(')') && closingOf(current) === current.length - 1) current = current.slice(1, -1).trim();
  return current;
}

function closingOf(text: string): number {
  let depth = 0;
  let quote = false;
  for (let k = 0; k < text.length; k++) {
    if (text[k] === "'") quote = !quote;
    if (quote) continue;
    if (text[k] === '(') depth++;
    else if (text[k] === ')' && --depth === 0) return k;
  }
  return -1;
}

function unquote(name: string): string {
  return name.startsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name;
}
