import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FileFinding } from '../../../protocol/findings';
import type { FileJob } from './file-job';

/** Below this many files, starting workers costs more than it saves. */
const PARALLEL_FROM = 200;

/** The worker bundle next to the CLI bundle; absent when running from sources (tests), then nothing runs in parallel. */
const WORKER_SCRIPT = path.join(__dirname, 'check-worker.js');

export function canRunInParallel(files: number): boolean {
  return files >= PARALLEL_FROM && os.availableParallelism() > 1 && fs.existsSync(WORKER_SCRIPT);
}

/** Checks files (syntax and rules) on one worker thread per core, each taking an interleaved share. */
export async function checkInParallel(files: string[], job: FileJob): Promise<Map<string, FileFinding[]>> {
  const count = Math.min(os.availableParallelism(), 4);
  const shares = Array.from({ length: count }, (_, k) => files.filter((_, index) => index % count === k));
  const results = await Promise.all(
    shares.map(
      (share) =>
        new Promise<Array<[string, FileFinding[]]>>((resolve, reject) => {
          const worker = new Worker(WORKER_SCRIPT, { workerData: { files: share, job } });
          worker.once('message', resolve);
          worker.once('error', reject);
          worker.once('exit', (code) => code !== 0 && reject(new Error(`check worker exited with ${code}`)));
        }),
    ),
  );
  return new Map(results.flat());
}
