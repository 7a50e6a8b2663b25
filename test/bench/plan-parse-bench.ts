/**
 * Plan model speed: a generated 2,000-node EXPLAIN ANALYZE plan (test/bench/plan-generate.ts), parsed
 * from JSON and from TEXT with figures and hints (`parsePlan`), median of several runs. The lead's
 * bench.ts prints the rows.
 */
import { performance } from 'node:perf_hooks';
import { parsePlan } from '../../server/src/plans/parse';
import { generatePlan, planToText } from './plan-generate';

const NODES = 2000;
const RUNS = 9;
/** Target for one parse + figures + hints of a 2,000-node plan (interactive: the hover and the webview). */
const TARGET_MS = 100;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(work: () => void): number {
  work(); // warm-up (JIT of the parser)
  const runs: number[] = [];
  for (let k = 0; k < RUNS; k++) {
    const start = performance.now();
    work();
    runs.push(performance.now() - start);
  }
  return median(runs);
}

export async function benchPlanParse(): Promise<Array<{ measure: string; value: string; target: string; ok?: boolean }>> {
  const plan = generatePlan(NODES);
  const json = JSON.stringify([plan], null, 2);
  const text = planToText(plan);
  const rows: Array<{ measure: string; value: string; target: string; ok?: boolean }> = [];
  for (const [format, input] of [['JSON', json], ['TEXT', text]] as const) {
    let hints = 0;
    const ms = time(() => {
      hints = parsePlan(input)[0].pglens?.hints.length ?? 0;
    });
    rows.push({
      measure: `plan ${format}, ${NODES} nodes (${(input.length / 1024).toFixed(0)} kB): parse + figures + ${hints} hints, median of ${RUNS}`,
      value: `${ms.toFixed(1)} ms`,
      target: `< ${TARGET_MS} ms`,
      ok: ms < TARGET_MS,
    });
  }
  return rows;
}
