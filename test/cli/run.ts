import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

export const CLI = process.env.PGLENS_TEST_CLI ?? path.join(__dirname, '../../bin/pglens.js');

/** Runs the built CLI as a user would, in `cwd`. */
export function runPglens(cwd: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
