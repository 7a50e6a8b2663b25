/**
 * Plans for the webview tests and bench: JSON captured from PostgreSQL 15 (fixtures/capture.sh), read by
 * the engine's parser (`parsePlan`: figures and hints as the extension gets them).
 *
 * TEST-ONLY: while the engine's hint rules are being written (server/src/plans/hints), a result for which
 * they return no hint gets a few from `testOnlyHints`, a deliberately naive local rule, so the hints panel
 * is exercised either way. It is not the engine's algorithm and nothing outside test/ may use it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ExplainResult, PlanHint, PlanNode } from '../../protocol/plan';
import { parsePlan } from '../../server/src/plans/parse';

export const FIXTURES_DIR = path.join(findRoot(), 'test/webviews/fixtures');

export function findRoot(): string {
  // Works from the sources (vitest) and from a bundle in dist/ (the bench).
  for (const start of [typeof __dirname === 'string' ? __dirname : '', process.cwd()]) {
    for (let dir = start; dir && path.dirname(dir) !== dir; dir = path.dirname(dir)) {
      if (fs.existsSync(path.join(dir, 'test/webviews/fixtures'))) return dir;
    }
  }
  return process.cwd();
}

/** A captured fixture as PostgreSQL printed it (no `pglens` keys). */
export function rawFixture(name: string): ExplainResult[] {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES_DIR, `${name}.json`), 'utf8')) as ExplainResult[];
}

/** A captured fixture through the engine's parser, with test-only hints if the engine gave none. */
export function loadFixture(name: string): ExplainResult[] {
  return parseForView(fs.readFileSync(path.join(FIXTURES_DIR, `${name}.json`), 'utf8'));
}

export function parseForView(text: string): ExplainResult[] {
  const results = parsePlan(text);
  for (const result of results) if (result.pglens && result.pglens.hints.length === 0) result.pglens.hints = testOnlyHints(result);
  return results;
}

const n = (node: PlanNode, key: string): number => (typeof node[key] === 'number' ? (node[key] as number) : 0);

/** TEST-ONLY hints: a Seq Scan whose filter removes most rows (with an index suggestion), large misestimates. */
export function testOnlyHints(result: ExplainResult): PlanHint[] {
  const hints: PlanHint[] = [];
  planNodes(result).forEach((node, id) => {
    const nodeId = node.pglens?.id ?? id;
    const removed = n(node, 'Rows Removed by Filter');
    const column = /^\(\(?(\w+)\)? = /.exec(String(node.Filter ?? ''))?.[1];
    if (node['Node Type'] === 'Seq Scan' && removed > 10 * Math.max(1, n(node, 'Actual Rows')) && column) {
      hints.push({
        kind: 'indexable-seq-scan',
        nodeId,
        severity: 'warning',
        title: `Seq Scan on ${String(node['Relation Name'])} removes ${removed} rows to keep ${n(node, 'Actual Rows')}`,
        advice: `An index on ${column} would read only the matching rows.`,
        index: { table: String(node['Relation Name']), columns: [column] },
      });
    }
    const mis = node.pglens?.misestimate;
    if (mis && mis.factor >= 40) {
      hints.push({
        kind: 'row-misestimate',
        nodeId,
        severity: 'info',
        title: `${node['Node Type']}: ${mis.direction}-estimated rows ${mis.factor.toFixed(0)}×`,
        advice: 'Run ANALYZE on the tables involved, or raise their statistics target.',
      });
    }
  });
  return hints;
}

/** Every node of a plan in pre-order. */
export function planNodes(result: ExplainResult): PlanNode[] {
  const out: PlanNode[] = [];
  const stack = [result.Plan];
  while (stack.length) {
    const node = stack.pop()!;
    out.push(node);
    for (const child of [...(node.Plans ?? [])].reverse()) stack.push(child);
  }
  return out;
}
