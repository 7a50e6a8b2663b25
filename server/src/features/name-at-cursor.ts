/**
 * What the identifier under the cursor designates: the dotted name around it and its role in the
 * statement, shared by go-to-definition, hover and completion.
 *
 * Tokens come from PostgreSQL's own scanner (libpg-query `scanSync`) run on one statement's text, so
 * quoting, comments and dollar quotes are read as the server reads them; nothing here scans the whole
 * document. The scanner and parse-tree locations are UTF-8 byte offsets into the statement; tokens
 * carry both those and UTF-16 offsets, converted in one pass per scan.
 */
import { statementAt } from '../document/analyze';
import type { DocumentAnalysis } from '../document/analyze';
import { RESERVED_KEYWORD, identValue, isName, scanTokens, significant } from '../sql/tokens';
import type { Token } from '../sql/tokens';
import { collectNames, nameOf, scopeFromTokens, scopeMatch } from './statement-names';
import type { NameTarget, ScopeEntry, Site } from './statement-names';

/** A dotted name (`schema.table.column`), and which of its parts holds the cursor. */
export interface NameChain {
  tokens: Token[];
  parts: string[];
  index: number;
}

/** The dotted name around the name token at `offset` (offset relative to the scanned text). */
export function chainAt(tokens: readonly Token[], offset: number): NameChain | undefined {
  let at = -1;
  for (let k = 0; k < tokens.length && tokens[k].start <= offset; k++) {
    if (offset <= tokens[k].end && isName(tokens[k])) at = k;
  }
  if (at < 0) return undefined;
  let first = at;
  while (first >= 2 && tokens[first - 1].text === '.' && isName(tokens[first - 2])) first -= 2;
  let last = at;
  while (last + 2 < tokens.length && tokens[last + 1].text === '.' && isName(tokens[last + 2])) last += 2;
  const chain: Token[] = [];
  for (let k = first; k <= last; k += 2) chain.push(tokens[k]);
  return { tokens: chain, parts: chain.map((token) => identValue(token.text)), index: (at - first) / 2 };
}

export interface TargetAt {
  target: NameTarget;
  /** UTF-16 document offsets of the name part under the cursor. */
  start: number;
  end: number;
}

/**
 * The name under the cursor and its role in the statement, read from the statement's parse tree
 * (nodes whose `location` is where the dotted name starts; names the tree keeps without a location,
 * such as index columns or aliases, by value), or from tokens alone when the statement does not parse.
 */
export function targetAt(analysis: DocumentAnalysis, offset: number): TargetAt | undefined {
  const statement = statementAt(analysis, offset);
  if (!statement) return undefined;
  const base = statement.segment.start;
  const tokens = significant(scanTokens(statement.segment.sql));
  const chain = chainAt(tokens, offset - base);
  if (!chain) return undefined;
  const token = chain.tokens[chain.index];
  const span = { start: base + token.start, end: base + token.end };
  const tree = statement.outcome.ok && statement.outcome.stmt ? collectNames(statement.outcome.stmt) : undefined;
  const site = tree?.sites.get(chain.tokens[0].byte);
  const fromSite = site && tree ? siteTarget(site, chain, tree.scope) : undefined;
  if (fromSite) return { target: fromSite, ...span };
  if (site?.kind === 'relation' && site.role === 'cte') return undefined;
  if (chain.parts.length === 1 && tree) {
    const named = tree.named.find((entry) => entry.name === chain.parts[0]);
    if (named) return { target: named.target, ...span };
  }
  if (chain.parts.length === 1 && token.kind === 'keyword' && token.keyword === RESERVED_KEYWORD) return undefined;
  const scope = tree?.scope ?? scopeFromTokens(tokens);
  return { target: { kind: 'unknown', parts: chain.parts, index: chain.index, scope }, ...span };
}

function siteTarget(site: Site, chain: NameChain, scope: ScopeEntry[]): NameTarget | undefined {
  const fromEnd = chain.parts.length - 1 - chain.index;
  switch (site.kind) {
    case 'relation':
      if (fromEnd === 1) return { kind: 'schema', schema: chain.parts[chain.index] };
      if (fromEnd > 1 || site.role === 'cte') return undefined;
      return { kind: site.role, name: nameOf(site.parts) };
    case 'function':
    case 'type':
      if (fromEnd === 1) return { kind: 'schema', schema: chain.parts[chain.index] };
      return fromEnd === 0 ? { kind: site.kind, name: nameOf(site.parts) } : undefined;
    case 'column':
      return { kind: 'column', column: site.name, candidates: site.relation ? [site.relation] : scope };
    case 'column-ref':
      return columnRefTarget(site.fields, chain.index, scope);
  }
}

/** `col`, `alias.col`, `table.col`, `schema.table.col`, with the cursor on part `index`. */
function columnRefTarget(fields: string[], index: number, scope: ScopeEntry[]): NameTarget | undefined {
  const n = fields.length;
  if (fields[index] === '*' || index >= n) return undefined;
  if (index === n - 1) {
    if (n === 1) return { kind: 'column', column: fields[0], candidates: scope };
    if (n === 2) return { kind: 'column', column: fields[1], candidates: scopeMatch(scope, fields[0]) };
    return { kind: 'column', column: fields[n - 1], candidates: [{ schema: fields[n - 3], name: fields[n - 2] }] };
  }
  if (index === n - 2) return { kind: 'relation', name: n === 2 ? scopeMatch(scope, fields[0])[0] : { schema: fields[n - 3], name: fields[n - 2] } };
  return { kind: 'schema', schema: fields[index] };
}
