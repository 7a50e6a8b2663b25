/** Flyway: versioned and repeatable migrations, script config files, and what its parser runs outside a transaction. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeFile } from '../text/decode';
import { compareBigInt, compareBytes, compareUtf16, isFile, listDirectory, sortedBy } from './files';
import type { LocatedFile, LocatedFolder } from './types';

/** Flyway scans its locations recursively; this bounds that scan. */
const FLYWAY_SCAN_DEPTH = 6;
const FLYWAY_VERSIONED = /^V(\d+(?:[._]\d+)*)__(.+)\.sql$/;
const FLYWAY_REPEATABLE = /^R__(.+)\.sql$/;
const FLYWAY_UNDO = /^U(\d+(?:[._]\d+)*)__(.+)\.sql$/;

export function locateFlyway(directory: string): LocatedFolder | undefined {
  const versioned: Array<LocatedFile & { parts: bigint[] }> = [];
  const repeatable: Array<LocatedFile & { description: string }> = [];
  const skipped: LocatedFolder['skipped'] = [];
  const visit = (folder: string, depth: number): void => {
    for (const entry of listDirectory(folder)) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory) {
        if (depth < FLYWAY_SCAN_DEPTH && !entry.name.startsWith('.')) visit(full, depth + 1);
        continue;
      }
      if (!entry.isFile) continue;
      const scriptConfig = isFile(`${full}.conf`) ? `${full}.conf` : undefined;
      const v = FLYWAY_VERSIONED.exec(entry.name);
      if (v) {
        const version = v[1].replace(/_/g, '.');
        versioned.push({ path: full, version, name: v[2], parts: version.split('.').map((part) => BigInt(part)), scriptConfig });
        continue;
      }
      const r = FLYWAY_REPEATABLE.exec(entry.name);
      if (r) repeatable.push({ path: full, version: '', name: r[1], description: r[1].replace(/_/g, ' '), scriptConfig });
      else if (FLYWAY_UNDO.test(entry.name)) skipped.push({ path: full, reason: 'Flyway undo migration (runs only on undo, never on migrate)' });
      else if (entry.name.endsWith('.java') || entry.name.endsWith('.kt')) skipped.push({ path: full, reason: 'Flyway Java/Kotlin migration: pglens reads SQL only' });
    }
  };
  visit(directory, 0);
  if (versioned.length === 0) return undefined;
  const ordered = [
    ...sortedBy(versioned, (a, b) => compareVersionParts(a.parts, b.parts) || compareBytes(a.path, b.path)),
    ...sortedBy(repeatable, (a, b) => compareUtf16(a.description, b.description) || compareBytes(a.path, b.path)),
  ];
  const files = ordered.map(({ path: file, version, name, scriptConfig }) => (scriptConfig === undefined ? { path: file, version, name } : { path: file, version, name, scriptConfig }));
  return { files, skipped };
}

/** `executeInTransaction` from a Flyway script config file (Java properties: `key=value`, `#`/`!` comments). */
export function readFlywayScriptConfig(file: string): boolean | undefined {
  let text: string;
  try {
    text = decodeFile(fs.readFileSync(file)).text;
  } catch {
    return undefined;
  }
  let value: boolean | undefined;
  for (const rawLine of text.split(/\r\n|\r|\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const match = /^([^=:\s]+)\s*[=:\s]\s*(.*)$/.exec(line);
    if (!match || match[1] !== 'executeInTransaction') continue;
    const setting = match[2].trim().toLowerCase();
    if (setting === 'true') value = true;
    else if (setting === 'false') value = false;
  }
  return value;
}

const FLYWAY_NON_TRANSACTIONAL = [
  /^(CREATE|DROP) (DATABASE|TABLESPACE|SUBSCRIPTION)\b/,
  /^ALTER SYSTEM\b/,
  /^(CREATE|DROP)( UNIQUE)? INDEX CONCURRENTLY\b/,
  /^REINDEX( VERBOSE)? (SCHEMA|DATABASE|SYSTEM)\b/,
  /^VACUUM\b/,
  /^DISCARD ALL\b/,
];

/** Flyway's PostgreSQL parser: statements that cannot run inside a transaction. */
export function isFlywayNonTransactional(statement: string): boolean {
  const head = statement
    .slice(0, 400)
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/--[^\n]*/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toUpperCase();
  return FLYWAY_NON_TRANSACTIONAL.some((pattern) => pattern.test(head));
}

/** Flyway's MigrationVersion.compareTo: part by part, missing parts count as 0 (so 1 = 1.0). */
function compareVersionParts(a: bigint[], b: bigint[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const difference = compareBigInt(a[i] ?? 0n, b[i] ?? 0n);
    if (difference !== 0) return difference;
  }
  return 0;
}
