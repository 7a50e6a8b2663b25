/**
 * Layout off the UI thread: ELK's own worker script (elkjs/lib/elk-worker.min.js) is inlined into
 * this view's bundle at build time (ERD_LAYOUT_WORKER, see scripts/build.mjs) and started from a
 * blob: URL, since a webview cannot start a worker from its resource URLs (another origin) and the
 * standalone HTML has no files at all. Only messages pass on this thread; ELK computes in the worker.
 */
import ELK from 'elkjs/lib/elk-api.js';
import type { ELK as ElkInstance } from 'elkjs/lib/elk-api';
import type { LayoutInput } from '../../protocol/erd-diagram/layout';
import { runLayout } from '../../protocol/erd-diagram/layout';

declare const ERD_LAYOUT_WORKER: string;

export class LayoutClient {
  private elk: ElkInstance | undefined;

  async layout(input: LayoutInput): Promise<{ positions: Map<string, { x: number; y: number }>; ms: number }> {
    this.elk ??= new ELK({ workerUrl: URL.createObjectURL(new Blob([ERD_LAYOUT_WORKER], { type: 'text/javascript' })) });
    const start = performance.now();
    const positions = await runLayout(this.elk, input);
    return { positions, ms: performance.now() - start };
  }
}
