/** Sqitch: `deploy/<change>.sql` in plan order (reworked changes from `deploy/<change>@<tag>.sql`). */
import * as path from 'node:path';
import { isDirectory, isFile, readText } from './files';
import type { LocatedFile, LocatedFolder } from './types';

export function locateSqitch(directory: string): LocatedFolder | undefined {
  const planFile = path.join(directory, 'sqitch.plan');
  const deploy = path.join(directory, 'deploy');
  if (!isFile(planFile) || !isDirectory(deploy)) return undefined;
  const changes = parseSqitchPlan(readText(planFile));
  const files: LocatedFile[] = [];
  changes.forEach((change, index) => {
    const reworked = changes.slice(index + 1).some((later) => later.name === change.name);
    const script = reworked && change.nextTag !== undefined ? `${change.name}@${change.nextTag}.sql` : `${change.name}.sql`;
    const file = path.join(deploy, ...script.split('/'));
    if (isFile(file)) files.push({ path: file, version: String(index + 1), name: change.name });
  });
  const skipped = ['revert', 'verify'].filter((folder) => isDirectory(path.join(directory, folder))).map((folder) => ({ path: path.join(directory, folder), reason: `Sqitch ${folder} scripts (not run on deploy)` }));
  return { files, skipped };
}

interface SqitchChange {
  name: string;
  /** The first tag after this change in the plan: an earlier instance of a reworked change is deployed from `deploy/<name>@<tag>.sql`. */
  nextTag?: string;
}

function parseSqitchPlan(text: string): SqitchChange[] {
  const changes: SqitchChange[] = [];
  let untagged: SqitchChange[] = [];
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('%')) continue;
    if (line.startsWith('@')) {
      const tag = /^@([^\s]+)/.exec(line)?.[1];
      if (tag !== undefined) for (const change of untagged) change.nextTag = tag;
      untagged = [];
      continue;
    }
    if (line.startsWith('-')) continue; // an old-style "revert" line
    const name = /^\+?([^\s[]+)/.exec(line)?.[1];
    if (name === undefined) continue;
    const change: SqitchChange = { name };
    changes.push(change);
    untagged.push(change);
  }
  return changes;
}
