import { parentPort, workerData } from 'node:worker_threads';
import type { Finding } from '../../../protocol/findings';
import { analyzeDocument } from '../document/analyze';
import { explain } from '../explain/runner';
import { loadSnapshot } from '../schema/snapshot';
import { loadParser } from '../sql/parser';
import { fromTransferable } from '../connection/open';
import { ServerBackend } from './server-backend';
import { ShadowSession, diskText } from './session';
import type { WorkerReply, WorkerRequest } from './worker-protocol';

/** The shadow worker thread: owns the shadow sessions and answers the language server's requests in order. */
const port = parentPort!;
const sessions = new Map<number, ShadowSession>();
const overrides = new Map<string, string>();
const textOf = (file: string): string | undefined => overrides.get(file) ?? diskText(file);
const post = (reply: WorkerReply): void => port.postMessage(reply);
const ready = loadParser();
/** Statements an earlier worker had to be stopped on (endless loops): never run again. */
const skip = new Set<string>(((workerData as { skip?: string[] } | undefined)?.skip ?? []));

function session(id: number): ShadowSession {
  const found = sessions.get(id);
  if (!found) throw new Error(`no shadow session ${id}`);
  return found;
}

const record = (map: Map<string, Finding[]>): Record<string, Finding[]> => Object.fromEntries(map);

async function handle(request: WorkerRequest): Promise<unknown> {
  await ready;
  switch (request.kind) {
    case 'open':
      sessions.set(
        request.session,
        new ShadowSession(request.migrations, textOf, {
          cacheDir: request.cacheDir,
          backend: request.server ? new ServerBackend(fromTransferable(request.server)) : undefined,
          onStatement: (file, statement, phase) =>
            post(phase === 'start' ? { kind: 'statement', file, start: statement.segment.start, end: statement.segment.end } : { kind: 'idle' }),
          skip,
        }),
      );
      return null;
    case 'text':
      if (request.text === null) overrides.delete(request.file);
      else overrides.set(request.file, request.text);
      return null;
    case 'replayAll':
      return record(await session(request.session).replayAll());
    case 'checkAll':
      return record(await session(request.session).checkAll());
    case 'findingsForAll':
      return record(await session(request.session).findingsForAll());
    case 'checkMigration':
      return session(request.session).checkMigration(request.file);
    case 'checkOther':
      return session(request.session).checkOther(analyzeDocument(request.text), request.file);
    case 'snapshot':
      return session(request.session).withFinalState((db) => loadSnapshot(db));
    case 'explain':
      // The watchdog times the EXPLAIN like a statement: PGlite cannot stop an endless ANALYZE itself.
      post({ kind: 'statement', file: '', start: 0, end: 0 });
      try {
        return await session(request.session).withFinalState((db) => explain(db, request.sql, { ...request.options, nested: true }));
      } finally {
        post({ kind: 'idle' });
      }
    case 'close': {
      const closing = sessions.get(request.session);
      sessions.delete(request.session);
      await closing?.close();
      return null;
    }
  }
}

port.on('message', (request: WorkerRequest) => {
  handle(request).then(
    (result) => post({ kind: 'result', id: request.id, ok: true, result }),
    (error: unknown) => post({ kind: 'result', id: request.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
