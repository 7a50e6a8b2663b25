/** Filesystem helpers for discovery: symlinks are followed (a directory entry is what it points to), errors read as "absent". */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeFile } from '../text/decode';

export interface Entry {
  name: string;
  isFile: boolean;
  isDirectory: boolean;
}

/** The entries of a folder in byte order of their names, symlinks resolved to what they point to (a dangling one is neither). */
export function listDirectory(directory: string): Entry[] {
  let dirents: fs.Dirent[];
  try {
    dirents = fs.readdirSync(directory, { withFileTypes: true });
  } catch {
    return [];
  }
  return dirents
    .map((dirent) => {
      if (!dirent.isSymbolicLink()) return { name: dirent.name, isFile: dirent.isFile(), isDirectory: dirent.isDirectory() };
      const target = statOf(path.join(directory, dirent.name));
      return { name: dirent.name, isFile: target?.isFile() ?? false, isDirectory: target?.isDirectory() ?? false };
    })
    .sort((a, b) => compareBytes(a.name, b.name));
}

function statOf(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}

export function isDirectory(file: string): boolean {
  return statOf(file)?.isDirectory() ?? false;
}

export function isFile(file: string): boolean {
  return statOf(file)?.isFile() ?? false;
}

/** The real path (symlinks resolved), for loop protection; the path itself when it cannot be resolved. */
export function realPathOf(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

export function readText(file: string): string {
  try {
    return decodeFile(fs.readFileSync(file)).text;
  } catch {
    return '';
  }
}

export function normalizePath(file: string): string {
  const resolved = path.resolve(file);
  return process.platform === 'win32' || process.platform === 'darwin' ? resolved.toLowerCase() : resolved;
}

export function sortedBy<T>(items: T[], compare: (a: T, b: T) => number): T[] {
  return [...items].sort(compare);
}

/** Byte order of the UTF-8 encodings: how Go and Rust sort file names. */
export function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** UTF-16 code unit order: Java's String.compareTo. */
export function compareUtf16(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const NATURAL = new Intl.Collator('en', { numeric: true });

/** Orders `2_x.sql` before `10_x.sql`. */
export function compareNatural(a: string, b: string): number {
  return NATURAL.compare(a, b);
}

export function compareBigInt(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
