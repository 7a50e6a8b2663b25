import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DocumentAnalysis } from '../../server/src/document/analyze';
import { analyzeDocument } from '../../server/src/document/analyze';
import type { MigrationTool } from '../../server/src/migrations/discover';
import type { LintFinding, LintOptions } from '../../server/src/rules/lint';
import { lintDocument } from '../../server/src/rules/lint';
import type { TextEdit } from '../../server/src/rules/types';

export const FIXTURES = path.join(__dirname, '../fixtures/rules');

export interface Fixture {
  rule: string;
  file: string;
  kind: 'fail' | 'pass';
  text: string;
  options: LintOptions;
  /** 0-based lines of the statements marked `-- expect: <rule>` (the line after each marker). */
  expectedLines: number[];
}

/**
 * Fixture files: `test/fixtures/rules/<rule>/{fail,pass}-*.sql`, optional `setup.sql` (the existing
 * schema, for running fixed SQL on a real server). Header comments set the context:
 *   -- tool: dbmate | goose | flyway | …     (default: plain)
 *   -- transactional: true                   (default: false)
 *   -- not-migration                          (a query file, not a migration)
 *   -- target-version: 10                     (default: 18)
 * and in fail files `-- expect: <rule>` goes on the line before each statement the rule must flag.
 */
export function fixturesOf(rule: string, root = FIXTURES): Fixture[] {
  const directory = path.join(root, rule);
  if (!fs.existsSync(directory)) return [];
  return fs
    .readdirSync(directory)
    .filter((file) => /^(fail|pass)-.*\.sql$/.test(file))
    .sort()
    .map((file) => {
      const text = fs.readFileSync(path.join(directory, file), 'utf8');
      const header = (name: string): string | undefined => new RegExp(`^--\\s*${name}:\\s*(\\S+)`, 'm').exec(text)?.[1];
      const lines = text.split('\n');
      const expectedLines = lines.flatMap((line, index) => (new RegExp(`^\\s*--\\s*expect:\\s*${rule}\\b`).test(line) ? [index + 1] : []));
      const version = header('target-version');
      return {
        rule,
        file: path.join(directory, file),
        kind: file.startsWith('fail') ? 'fail' : 'pass',
        text,
        expectedLines,
        options: {
          isMigration: !/^--\s*not-migration\b/m.test(text),
          tool: (header('tool') ?? 'plain') as MigrationTool,
          transactional: header('transactional') === 'true',
          config: version ? { rules: {}, thresholds: { smallRows: 10_000, smallBytes: 10485760, largeRows: 1_000_000, largeBytes: 1073741824 }, targetVersion: Number(version) * 10_000 } : undefined,
        },
      } satisfies Fixture;
    });
}

export function lint(text: string, options: LintOptions, rule: string): { analysis: DocumentAnalysis; findings: LintFinding[] } {
  const analysis = analyzeDocument(text);
  return { analysis, findings: lintDocument(analysis, options).filter((finding) => finding.code === rule) };
}

/** Applies edits (non-overlapping, any order) to a text. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let result = text;
  let limit = Infinity;
  for (const edit of sorted) {
    if (edit.end > limit) continue; // overlaps an edit already applied: the next pass fixes the rest
    result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
    limit = edit.start;
  }
  return result;
}
