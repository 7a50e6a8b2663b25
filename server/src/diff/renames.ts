/**
 * Rename detection. A dropped and an added table with alike columns, or a dropped and an added column
 * of the same type in the same table, become rename candidates; only a confirmed decision
 * (DiffOptions.renames) turns them into RENAME, never silently.
 */
import type { TableInfo } from '../../../protocol/schema';
import type { DiffContext } from './context';

/** Jaccard similarity of two sets. */
function jaccard(a: Set<string>, b: Set<string>): number {
  let both = 0;
  for (const x of a) if (b.has(x)) both++;
  const union = a.size + b.size - both;
  return union === 0 ? 1 : both / union;
}

/** Dice coefficient of the names' character bigrams: how alike two names look, 0..1. */
function nameSimilarity(a: string, b: string): number {
  const grams = (s: string) => {
    const out = new Map<string, number>();
    const t = s.toLowerCase();
    for (let k = 0; k < t.length - 1; k++) out.set(t.slice(k, k + 2), (out.get(t.slice(k, k + 2)) ?? 0) + 1);
    return out;
  };
  const ga = grams(a);
  const gb = grams(b);
  let both = 0;
  let total = 0;
  for (const [g, n] of ga) {
    both += Math.min(n, gb.get(g) ?? 0);
    total += n;
  }
  for (const n of gb.values()) total += n;
  return total === 0 ? 0 : (2 * both) / total;
}

const round = (x: number) => Math.round(x * 100) / 100;

export const TABLE_SIMILARITY = 0.7;

/** Confirmed table renames (desired key → current table); unconfirmed look-alikes become candidates. */
export function tableRenames(ctx: DiffContext, before: Map<string, TableInfo>, after: Map<string, TableInfo>): { byDesired: Map<string, TableInfo> } {
  const byDesired = new Map<string, TableInfo>();
  const dropped = [...before].filter(([k]) => !after.has(k)).map(([, t]) => t);
  const added = [...after].filter(([k]) => !before.has(k));
  const decisions = (ctx.options.renames ?? []).filter((r) => r.kind === 'table');
  const used = new Set<TableInfo>();
  for (const [k, table] of added) {
    const to = `${table.schema}.${table.name}`;
    const decision = decisions.find((d) => d.to === to);
    const from = decision && dropped.find((t) => `${t.schema}.${t.name}` === decision.from && !used.has(t));
    if (from) {
      byDesired.set(k, from);
      used.add(from);
    }
  }
  const signature = (t: TableInfo) => new Set(t.columns.map((c) => `${c.name}\u0000${c.type}`));
  for (const [k, table] of added) {
    if (byDesired.has(k)) continue;
    for (const old of dropped) {
      if (used.has(old) || old.kind !== table.kind) continue;
      const similarity = jaccard(signature(old), signature(table));
      if (similarity >= TABLE_SIMILARITY) {
        ctx.renameCandidates.push({ kind: 'table', from: `${old.schema}.${old.name}`, to: `${table.schema}.${table.name}`, similarity: round(similarity) });
      }
    }
  }
  return { byDesired };
}

/** Confirmed column renames of one table: new name → old name. Look-alikes become candidates. */
export function columnRenames(ctx: DiffContext, old: TableInfo, table: TableInfo): Map<string, string> {
  const result = new Map<string, string>();
  const oldNames = new Set(old.columns.map((c) => c.name));
  const newNames = new Set(table.columns.map((c) => c.name));
  const dropped = old.columns.filter((c) => !newNames.has(c.name));
  const added = table.columns.filter((c) => !oldNames.has(c.name));
  if (dropped.length === 0 || added.length === 0) return result;
  const tableNames = [`${old.schema}.${old.name}`, `${table.schema}.${table.name}`];
  const decisions = (ctx.options.renames ?? []).filter((r) => r.kind === 'column' && tableNames.includes(r.table));
  const used = new Set<string>();
  for (const column of added) {
    const decision = decisions.find((d) => d.to === column.name);
    if (decision && dropped.some((c) => c.name === decision.from) && !used.has(decision.from)) {
      result.set(column.name, decision.from);
      used.add(decision.from);
    }
  }
  for (const column of added) {
    if (result.has(column.name)) continue;
    for (const was of dropped) {
      if (used.has(was.name) || was.type !== column.type) continue;
      ctx.renameCandidates.push({
        kind: 'column',
        table: `${table.schema}.${table.name}`,
        from: was.name,
        to: column.name,
        similarity: round(0.5 + 0.5 * nameSimilarity(was.name, column.name)),
      });
    }
  }
  return result;
}
