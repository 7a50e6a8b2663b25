/**
 * The diagram's layout thread: ELK runs here, so the view keeps panning, zooming and answering while a
 * thousand tables are placed. Bundled on its own and started from a blob: URL (see scripts/build.mjs).
 */
import ELK from 'elkjs/lib/elk.bundled.js';
import { runLayout } from '../../server/src/erd/layout';
import type { LayoutInput } from '../../server/src/erd/layout';

export interface LayoutRequest {
  id: number;
  input: LayoutInput;
}

export interface LayoutReply {
  id: number;
  positions?: Array<[string, { x: number; y: number }]>;
  error?: string;
  /** Milliseconds ELK took, measured in the worker. */
  ms: number;
}

const elk = new ELK();
const scope = self as unknown as { onmessage: ((event: MessageEvent<LayoutRequest>) => void) | null; postMessage(reply: LayoutReply): void };

scope.onmessage = (event) => {
  const { id, input } = event.data;
  const start = performance.now();
  runLayout(elk, input).then(
    (positions) => scope.postMessage({ id, positions: [...positions], ms: performance.now() - start }),
    (error: unknown) => scope.postMessage({ id, error: error instanceof Error ? error.message : String(error), ms: performance.now() - start }),
  );
};
