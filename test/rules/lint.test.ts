import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeDocument } from '../../server/src/document/analyze';
import { mergeRuleConfig, parseTargetVersion } from '../../server/src/rules/config';
import { lintDocument } from '../../server/src/rules/lint';
import { loadParser } from '../../server/src/sql/parser';
import type { SchemaSnapshot, TableInfo } from '../../protocol/schema';

beforeAll(async () => {
  await loadParser();
});

const INDEX = 'CREATE INDEX orders_status_idx ON orders (status);\n';

describe('lintDocument', () => {
  it('places findings right after an edit moved the statements (parses and scans are reused)', () => {
    const first = analyzeDocument(INDEX);
    const [before] = lintDocument(first, { isMigration: true }).filter((f) => f.code === 'require-concurrent-index-creation');
    const moved = analyzeDocument(`-- a new first line\n${INDEX}`, first.options, first);
    const [after] = lintDocument(moved, { isMigration: true }).filter((f) => f.code === 'require-concurrent-index-creation');
    expect(after.range).toEqual({ start: { line: before.range.start.line + 1, character: 0 }, end: { line: before.range.end.line + 1, character: before.range.end.character } });
    const fix = after.fixes.find((candidate) => candidate.preferred)!;
    expect(moved.text.slice(fix.edits[0].start - 5, fix.edits[0].start)).toBe('INDEX');
  });

  it('scales severity with the table size the live database reports', () => {
    const table = (rowEstimate: number, totalBytes: number): SchemaSnapshot =>
      ({ serverVersionNum: 150000, tables: [{ schema: 'public', name: 'orders', rowEstimate, totalBytes } as TableInfo] }) as SchemaSnapshot;
    const severity = (snapshot?: SchemaSnapshot): string | undefined =>
      lintDocument(analyzeDocument(INDEX), { isMigration: true, snapshot }).find((f) => f.code === 'require-concurrent-index-creation')?.severity;
    expect(severity()).toBe('error'); // unknown: assumed large
    expect(severity(table(50_000_000, 20e9))).toBe('error');
    expect(severity(table(200_000, 50e6))).toBe('warning');
    expect(severity(table(300, 16384))).toBe('information');
  });

  it('honours configured severities, off, and -- pglens-ignore on the line above', () => {
    const analysis = analyzeDocument(INDEX);
    const codes = (rules: Record<string, string>): string[] =>
      lintDocument(analysis, { isMigration: true, config: mergeRuleConfig({ rules: {}, thresholds: { smallRows: 1, smallBytes: 1, largeRows: 2, largeBytes: 2 } }, { rules }) }).map((f) => `${f.code}:${f.severity}`);
    expect(codes({ 'require-concurrent-index-creation': 'hint' })).toContain('require-concurrent-index-creation:hint');
    expect(codes({ 'require-concurrent-index-creation': 'off' })).not.toContain('require-concurrent-index-creation:error');
    const ignored = analyzeDocument(`-- pglens-ignore require-concurrent-index-creation\n${INDEX}`);
    expect(lintDocument(ignored, { isMigration: true }).map((f) => f.code)).not.toContain('require-concurrent-index-creation');
  });

  it('reports bad configuration instead of applying it', () => {
    const problems: string[] = [];
    const config = mergeRuleConfig({ rules: {}, thresholds: { smallRows: 1, smallBytes: 1, largeRows: 2, largeBytes: 2 } }, { rules: { 'prefer-text': 'loud' }, targetVersion: 'fifteen' }, problems);
    expect(config.rules['prefer-text']).toBeUndefined();
    expect(problems).toEqual(['rule "prefer-text": "loud" is not one of error, warning, information, hint, off', 'targetVersion "fifteen" is not a PostgreSQL version such as 15 or 16.4']);
    expect([parseTargetVersion(15), parseTargetVersion('16.4'), parseTargetVersion(150004)]).toEqual([150000, 160004, 150004]);
  });

  it('skips down sections of tools that have them', () => {
    const dbmate = analyzeDocument(`-- migrate:up\nSELECT 1;\n-- migrate:down\n${INDEX}`);
    expect(lintDocument(dbmate, { isMigration: true, tool: 'dbmate' }).map((f) => f.code)).not.toContain('require-concurrent-index-creation');
  });
});
