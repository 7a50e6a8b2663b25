/**
 * Talks to the layout worker. The worker's bundle is inlined into this view's bundle at build time
 * (ERD_LAYOUT_WORKER, see scripts/build.mjs) and started from a blob: URL: a webview cannot start a
 * worker from its own resource URLs (another origin), and the standalone HTML has no files at all.
 */
import type { LayoutInput } from '../../server/src/erd/layout';
import type { LayoutReply, LayoutRequest } from './layout-worker';

declare const ERD_LAYOUT_WORKER: string;

export class LayoutClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (reply: LayoutReply) => void; reject: (error: Error) => void }>();

  layout(input: LayoutInput): Promise<{ positions: Map<string, { x: number; y: number }>; ms: number }> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise<LayoutReply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, input } satisfies LayoutRequest);
    }).then((reply) => {
      if (reply.error !== undefined) throw new Error(reply.error);
      return { positions: new Map(reply.positions), ms: reply.ms };
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const url = URL.createObjectURL(new Blob([ERD_LAYOUT_WORKER], { type: 'text/javascript' }));
    const worker = new Worker(url);
    worker.onmessage = (event: MessageEvent<LayoutReply>) => {
      const waiting = this.pending.get(event.data.id);
      this.pending.delete(event.data.id);
      waiting?.resolve(event.data);
    };
    worker.onerror = (event) => {
      for (const waiting of this.pending.values()) waiting.reject(new Error(event.message || 'the layout worker failed'));
      this.pending.clear();
      this.worker = undefined;
    };
    this.worker = worker;
    return worker;
  }
}
