import { parentPort, workerData } from 'node:worker_threads';
import type { FileFinding } from '../../../protocol/findings';
import { loadParser } from '../sql/parser';
import { checkOneFile } from './file-job';
import type { FileJob } from './file-job';

/** A `pglens check` worker: syntax and rules of its share of the files. */
const { files, job } = workerData as { files: string[]; job: FileJob };
void loadParser().then(() => {
  const newTables = job.newTables && new Set(job.newTables);
  const results: Array<[string, FileFinding[]]> = files.map((file) => [file, checkOneFile(file, job, newTables).findings]);
  parentPort!.postMessage(results);
});
