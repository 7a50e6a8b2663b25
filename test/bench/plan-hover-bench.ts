/**
 * Hover with plan hints on a live server holding 10,000 tables: a language server connected to the
 * snapshot bench's scratch database, hovering the leading keyword of 60 different joins (each one a
 * fresh EXPLAIN, parsed, with schema-aware hints over the 10,000-table snapshot), then the same
 * hovers again (answered from the per-statement cache).
 */
import { performance } from 'node:perf_hooks';
import { TestClient } from '../lsp/client';

export interface PlanHoverBench {
  /** Milliseconds per hover that ran EXPLAIN. */
  fresh: number[];
  /** Milliseconds per hover answered from the cache. */
  cached: number[];
  /** Hovers that showed a plan (must be all of them). */
  planned: number;
}

const STATEMENTS = 60;

export async function benchPlanHover(serverBundle: string, databaseUrl: string): Promise<PlanHoverBench> {
  const { client } = await TestClient.start(serverBundle);
  try {
    const status = (await client.connection.sendRequest('pglens/connect', { name: 'bench', connectionString: databaseUrl })) as { state: string; error?: string };
    if (status.state !== 'connected') throw new Error(`could not connect: ${status.error ?? status.state}`);
    const lines: string[] = [];
    for (let k = 1; k <= STATEMENTS; k++) {
      const t = 100 + k * 97;
      lines.push(`SELECT a.name, b.amount FROM bench.t${t} a JOIN bench.t${t + 1} b ON b.prev_id = a.id WHERE a.email = 'x${k}@example.com' AND b.active;`);
    }
    const uri = 'file:///bench/plans.sql';
    await client.open(uri, lines.join('\n'));
    const fresh: number[] = [];
    const cached: number[] = [];
    let planned = 0;
    for (const times of [fresh, cached]) {
      for (let line = 0; line < STATEMENTS; line++) {
        const start = performance.now();
        const hover = await client.hover(uri, { line, character: 2 });
        times.push(performance.now() - start);
        if (times === fresh && /^\*\*Plan\*\*/.test((hover?.contents as { value?: string } | undefined)?.value ?? '')) planned++;
      }
    }
    return { fresh, cached, planned };
  } finally {
    await client.stop();
  }
}
