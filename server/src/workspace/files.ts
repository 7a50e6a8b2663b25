import * as fs from 'node:fs';
import * as path from 'node:path';

export const SQL_EXTENSIONS = new Set(['.sql', '.pgsql', '.psql']);
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', 'dist', 'target', 'vendor']);

/** Expands files and folders (recursively, `*.sql`, `*.pgsql`, `*.psql`) into a sorted list of files. */
export function collectSqlFiles(inputs: string[]): { files: string[]; missing: string[] } {
  const files = new Set<string>();
  const missing: string[] = [];
  for (const input of inputs) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(input);
    } catch {
      missing.push(input);
      continue;
    }
    if (stat.isDirectory()) walk(input, files);
    else files.add(input);
  }
  return { files: [...files].sort(compareNatural), missing };
}

function walk(directory: string, into: Set<string>): void {
  const entries = fs.readdirSync(directory, { withFileTypes: true }).sort((a, b) => compareNatural(a.name, b.name));
  for (const entry of entries) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name) && !entry.name.startsWith('.')) walk(full, into);
    } else if (entry.isFile() && SQL_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) {
      into.add(full);
    }
  }
}

// One collator for every comparison: localeCompare with options builds a new one per call (slow for thousands of files).
const NATURAL = new Intl.Collator('en', { numeric: true });

/** Orders `V2__x.sql` before `V10__x.sql`, as migration tools do. */
export function compareNatural(a: string, b: string): number {
  return NATURAL.compare(a, b);
}
