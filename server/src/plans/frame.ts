/**
 * Removes psql's frame around a query result: the `QUERY PLAN` header and its dashes, the `(N rows)`
 * footer, the one-space left margin, `|` borders (`\pset border 2`) and the `+` marks psql puts where a
 * value continues on the next line. Lines keep their 1-based number in the original text, for errors.
 */

export interface SourceLine {
  text: string;
  /** 1-based line number in the input. */
  line: number;
}

export interface Unframed {
  lines: SourceLine[];
  /** True when a psql header was found (then every row of the result starts with a margin). */
  framed: boolean;
}

/** Tested on trimmed text: `\s*` on both sides of an optional `|` backtracks quadratically on deep indents. */
const HEADER = /^\|?\s*QUERY PLAN\s*\|?$/;
const RULE = /^[-+]{3,}$/;
const FOOTER = /^\s*\(\d+ rows?\)\s*$/;

export function unframe(text: string): Unframed {
  const raw = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const all: SourceLine[] = raw.map((value, k) => ({ text: value, line: k + 1 }));
  // The header, maybe wrapped by a terminal (its padding then makes blank lines), then the dashes.
  let headerAt = -1;
  let ruleAt = -1;
  for (let k = 0; k < all.length && headerAt < 0; k++) {
    if (!all[k].text.includes('QUERY PLAN') || !HEADER.test(all[k].text.trim())) continue;
    let next = k + 1;
    while (next < all.length && all[next].text.trim() === '') next++;
    if (next < all.length && RULE.test(all[next].text.trim())) [headerAt, ruleAt] = [k, next];
  }
  if (headerAt < 0) return { lines: all, framed: false };
  let width = 0;
  let bodyAt = ruleAt;
  while (bodyAt < all.length && RULE.test(all[bodyAt].text.trim())) width += all[bodyAt++].text.trim().length;
  const bordered = all[headerAt].text.trim().startsWith('|');
  const lines: SourceLine[] = [];
  for (let k = bodyAt; k < all.length; k++) {
    const entry = all[k];
    if (FOOTER.test(entry.text)) break;
    let value = entry.text;
    if (bordered) {
      if (RULE.test(value.trim())) continue;
      value = value.replace(/^\s*\|/, '').replace(/\|\s*$/, '');
    }
    const fullWidth = value.length >= width - 1;
    // The `+` mark sits in the last column: after padding, or right after a value that fills the row.
    if (/\s\+$/.test(value) || (fullWidth && value.endsWith('+'))) value = value.slice(0, -1);
    if (value.startsWith(' ')) value = value.slice(1);
    else if (value.trim() !== '') value = `\u0000${value}`; // no margin: the terminal wrapped the previous row
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
