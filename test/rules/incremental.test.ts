import { beforeAll, describe, expect, it } from 'vitest';
import type { DocumentAnalysis } from '../../server/src/document/analyze';
import { analyzeDocument } from '../../server/src/document/analyze';
import type { LintOptions } from '../../server/src/rules/lint';
import { lintDocument } from '../../server/src/rules/lint';
import { RULES } from '../../server/src/rules/registry';
import { loadParser } from '../../server/src/sql/parser';
import { fixturesOf } from './fixtures';

beforeAll(async () => {
  await loadParser();
});

/** Everything a finding carries, fixes built. */
function findingsOf(analysis: DocumentAnalysis, options: LintOptions): unknown[] {
  return lintDocument(analysis, options).map(({ range, severity, code, message, fixes }) => ({ range, severity, code, message, fixes }));
}

/** Lints `before`, then `after` as an edit of it (parses and cached rule results reused), and returns what a fresh lint of `after` gives too. */
function incrementally(before: string, after: string, options: LintOptions, optionsBefore: LintOptions = options): { reused: unknown[]; fresh: unknown[] } {
  const first = analyzeDocument(before);
  lintDocument(first, optionsBefore);
  const edited = analyzeDocument(after, first.options, first);
  return { reused: findingsOf(edited, options), fresh: findingsOf(analyzeDocument(after), options) };
}

/** The fixture's text without its k-th statement (what the file was before that statement was written). */
function without(text: string, k: number): string {
  const statement = analyzeDocument(text).statements[k];
  return text.slice(0, statement.segment.start) + text.slice(statement.segment.end);
}

const fixtures = RULES.flatMap((rule) => fixturesOf(rule.name));

describe('rule results reused after an edit are those of a fresh run', () => {
  it.each(fixtures.map((fixture) => [`${fixture.rule}/${fixture.file.split('/').pop()}`, fixture]))('%s, a statement added or removed anywhere', (_name, fixture) => {
    const count = analyzeDocument(fixture.text).statements.length;
    for (let k = 0; k < count; k++) {
      const shorter = without(fixture.text, k);
      const added = incrementally(shorter, fixture.text, fixture.options);
      expect(added.reused, `statement ${k} added`).toEqual(added.fresh);
      const removed = incrementally(fixture.text, shorter, fixture.options);
      expect(removed.reused, `statement ${k} removed`).toEqual(removed.fresh);
    }
  });

  it('re-runs cached rules when the run settings change', () => {
    for (const fixture of fixtures.filter((candidate) => candidate.kind === 'fail').slice(0, 60)) {
      const changed: LintOptions[] = [
        { ...fixture.options, isMigration: !fixture.options.isMigration },
        { ...fixture.options, transactional: !fixture.options.transactional },
        { ...fixture.options, tool: fixture.options.tool === 'dbmate' ? 'goose' : 'dbmate' },
        { ...fixture.options, config: { rules: {}, thresholds: { smallRows: 1, smallBytes: 1, largeRows: 2, largeBytes: 2 }, targetVersion: 100000 } },
        { ...fixture.options, newTables: new Set(['public.orders', 'public.users', 'public.accounts']) },
      ];
      for (const options of changed) {
        const { reused, fresh } = incrementally(`${fixture.text}\n`, fixture.text, options, fixture.options);
        expect(reused, fixture.file).toEqual(fresh);
      }
    }
  });

  it('follows a table that becomes new in this file when its CREATE TABLE is added above', () => {
    const migration = 'ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0);\nCREATE INDEX orders_status_idx ON orders (status);\n';
    const created = `CREATE TABLE orders (id bigint PRIMARY KEY, total numeric, status text);\n${migration}`;
    const options: LintOptions = { isMigration: true };
    const grown = incrementally(migration, created, options);
    expect(grown.reused).toEqual(grown.fresh);
    expect(grown.fresh.map((finding) => (finding as { code: string }).code)).not.toContain('constraint-missing-not-valid');
    const shrunk = incrementally(created, migration, options);
    expect(shrunk.reused).toEqual(shrunk.fresh);
    expect(shrunk.fresh.map((finding) => (finding as { code: string }).code)).toContain('constraint-missing-not-valid');
  });
});
