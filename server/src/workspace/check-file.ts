import * as fs from 'node:fs';
import type { FileFinding, Finding } from '../../../protocol/findings';
import type { AnalyzeOptions } from '../document/analyze';
import { analyzeDocument } from '../document/analyze';
import type { DocumentAnalysis } from '../document/analyze';
import { syntaxFindings } from '../features/syntax';
import { decodeFile } from '../text/decode';

export interface CheckedFile {
  findings: FileFinding[];
  /** The file's statements, when it could be read as text: later checks (rules, schema) reuse them. */
  analysis?: DocumentAnalysis;
}

/** Reads one file and reports its syntax; unreadable, binary or mis-encoded files become findings, never exceptions. */
export function checkFile(file: string, options: AnalyzeOptions): CheckedFile {
  const atStart = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  let bytes: Buffer;
  try {
    const size = fs.statSync(file).size;
    if (size > options.maxFileSize * 4) {
      // Not even read: a file this big cannot fit the limit whatever its encoding.
      return { findings: [{ file, range: atStart, severity: 'information', code: 'file-skipped', message: `File not checked: ${(size / 1048576).toFixed(1)} MB is over the ${(options.maxFileSize / 1048576).toFixed(1)} MB limit (--max-file-size).` }] };
    }
    bytes = fs.readFileSync(file);
  } catch (error) {
    return { findings: [{ file, range: atStart, severity: 'error', code: 'file-unreadable', message: `Cannot read file: ${(error as Error).message}` }] };
  }

  const decoded = decodeFile(bytes);
  if (decoded.nulAt !== undefined) {
    return { findings: [{ file, range: atStart, severity: 'information', code: 'file-skipped', message: `File not checked: it contains a NUL byte at offset ${decoded.nulAt}, so it looks binary, not SQL.` }] };
  }
  const findings: Finding[] = [];
  if (decoded.invalidUtf8At !== undefined) {
    findings.push({ range: atStart, severity: 'warning', code: 'invalid-utf8', message: `File is not valid UTF-8 (first bad byte at offset ${decoded.invalidUtf8At}); it was checked with those bytes replaced by U+FFFD.` });
  }
  const analysis = analyzeDocument(decoded.text, options);
  findings.push(...syntaxFindings(analysis));
  return { findings: findings.map((finding) => ({ file, ...finding })), analysis };
}
