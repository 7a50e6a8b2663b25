/**
 * Removes a result grid's frame around a plan: psql's `QUERY PLAN` header (or any one-word column name)
 * and its dashes, the `(N rows)` footer, the one-space left margin, `|` borders (`\pset border 2`,
 * DBeaver's trailing `|`), Unicode box lines (`\pset linestyle unicode`) and the `+`/`↵` marks psql puts
 * where a value continues on the next line. Lines keep their 1-based number in the original text, for errors.
 */

export interface SourceLine {
  text: string;
  /** 1-based line number in the input. */
  line: number;
}

export interface Unframed {
  lines: SourceLine[];
  /** True when a header and its rule were found (then the rows are unframed). */
  framed: boolean;
}

/** A column header: `QUERY PLAN`, or the one-word name a function or alias gives the column. Tested on trimmed text. */
const HEADER = /^\|?\s*(QUERY PLAN|[\w?]+)\s*\|?$/;
const RULE = /^[-+]{3,}$/;
export const FOOTER = /^\s*\(\d+ \p{L}+\)\s*$/u;

/** Unicode box drawing as psql prints it → ASCII; `↵` and `…` (continued and wrapped values) → `+`. */
export function asciiBoxes(text: string): string {
  return text
    .replace(/[─━═]/g, '-')
    .replace(/[│┃║]/g, '|')
    .replace(/[┌┐└┘├┤┬┴┼╔╗╚╝╠╣╦╩╬╒╓╕╖╘╙╛╜╞╟╡╢╤╥╧╨╪╫]/g, '+')
    .replace(/[↵…]/g, '+');
}

export function toLines(text: string): SourceLine[] {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .map((value, k) => ({ text: value, line: k + 1 }));
}

export function unframe(input: string | SourceLine[]): Unframed {
  const all = typeof input === 'string' ? toLines(input) : input;
  // The header, maybe wrapped by a terminal (its padding then makes blank lines), then the dashes.
  let headerAt = -1;
  let ruleAt = -1;
  for (let k = 0; k < all.length && headerAt < 0; k++) {
    const trimmed = all[k].text.trim();
    if (trimmed === '' || !HEADER.test(trimmed)) continue;
    let next = k + 1;
    while (next < all.length && all[next].text.trim() === '') next++;
    if (next < all.length && RULE.test(all[next].text.trim())) [headerAt, ruleAt] = [k, next];
  }
  if (headerAt < 0) return { lines: all, framed: false };
  let width = 0;
  let bodyAt = ruleAt;
  while (bodyAt < all.length && RULE.test(all[bodyAt].text.trim())) width += all[bodyAt++].text.trim().length;
  const header = all[headerAt].text.trim();
  const bordered = header.startsWith('|');
  const trailingBar = !bordered && header.endsWith('|');
  const body = all.slice(bodyAt);
  // psql's border 1 puts one space before every row; border 0 and other grids put none.
  const firstRow = body.find((entry) => entry.text.trim() !== '');
  const margin = bordered || (firstRow !== undefined && firstRow.text.startsWith(' '));
  const lines: SourceLine[] = [];
  for (const entry of body) {
    if (FOOTER.test(entry.text)) break;
    let value = entry.text;
    if (bordered) {
      if (RULE.test(value.trim())) continue;
      value = value.replace(/^\s*\|/, '').replace(/\|\s*$/, '');
    } else if (trailingBar) value = value.replace(/\|\s*$/, '');
    const fullWidth = value.length >= width - 1;
    // The `+` mark sits in the last column: after padding, or right after a value that fills the row
    // (inside `|` borders that column is always there).
    if (/\s\+$/.test(value) || ((fullWidth || bordered) && value.endsWith('+'))) value = value.slice(0, -1);
    if (margin) {
      if (value.startsWith(' ')) value = value.slice(1);
      else if (value.trim() !== '') value = `\u0000${value}`; // no margin: the terminal wrapped the previous row
    }
    lines.push({ text: value, line: entry.line });
  }
  return { lines: joinWrapped(lines), framed: true };
}

/** Rows a terminal wrapped (no psql margin) go back onto the row they continue. */
function joinWrapped(lines: SourceLine[]): SourceLine[] {
  const out: SourceLine[] = [];
  for (const entry of lines) {
    if (entry.text.startsWith('\u0000')) {
      const rest = entry.text.slice(1);
      if (out.length > 0) out[out.length - 1] = { ...out[out.length - 1], text: out[out.length - 1].text + rest };
      else out.push({ text: rest, line: entry.line });
    } else out.push(entry);
  }
  return out.map((entry) => ({ ...entry, text: entry.text.trimEnd() }));
}
