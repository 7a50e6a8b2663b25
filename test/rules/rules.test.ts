import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeDocument } from '../../server/src/document/analyze';
import { RULES } from '../../server/src/rules/registry';
import { loadParser } from '../../server/src/sql/parser';
import { TEST_DATABASE_URL } from '../integration/database';
import { applyEdits, fixturesOf, lint } from './fixtures';
import type { Fixture } from './fixtures';

beforeAll(async () => {
  await loadParser();
});

/** Applies each finding's first real fix (not "Ignore …") until none is left, at most 5 passes. */
function fixAll(text: string, fixture: Fixture): string {
  for (let pass = 0; pass < 5; pass++) {
    const { findings } = lint(text, fixture.options, fixture.rule);
    const edits = findings.flatMap((finding) => finding.fixes.find((fix) => !fix.title.startsWith('Ignore'))?.edits ?? []);
    if (edits.length === 0) break;
    text = applyEdits(text, edits);
  }
  return text;
}

describe.each(RULES.map((rule) => [rule.name]))('rule %s', (name) => {
  const fixtures = fixturesOf(name);

  it('has a docs page and at least 3 failing and 3 passing fixtures', () => {
    expect(fs.existsSync(path.join(__dirname, '../../docs/rules', `${name}.md`)), `docs/rules/${name}.md`).toBe(true);
    expect(fixtures.filter((fixture) => fixture.kind === 'fail').length).toBeGreaterThanOrEqual(3);
    expect(fixtures.filter((fixture) => fixture.kind === 'pass').length).toBeGreaterThanOrEqual(3);
  });

  it.each(fixtures.map((fixture) => [path.basename(fixture.file), fixture]))('%s', (_file, fixture) => {
    const { findings } = lint(fixture.text, fixture.options, name);
    if (fixture.kind === 'pass') {
      expect(findings.map((finding) => finding.message)).toEqual([]);
      return;
    }
    expect(fixture.expectedLines.length, 'a fail fixture marks its statements with -- expect:').toBeGreaterThan(0);
    const analysis = analyzeDocument(fixture.text);
    // Each finding lies in the statement that starts on the line after a marker.
    const flaggedLines = findings.map((finding) => {
      const statement = analysis.statements.find((candidate) => {
        const range = analysis.lineIndex.rangeOf(candidate.segment.start, candidate.segment.end);
        return range.start.line <= finding.range.start.line && finding.range.start.line <= range.end.line;
      });
      return statement ? analysis.lineIndex.positionAt(statement.segment.start).line : -1;
    });
    expect([...new Set(flaggedLines)].sort((a, b) => a - b)).toEqual(fixture.expectedLines);
  });

  // Fail fixtures get a quick fix unless they say `-- no-quick-fix` (the rule cannot know the safe rewrite).
  const fixable = fixtures.filter((fixture) => fixture.kind === 'fail' && !/^--\s*no-quick-fix\b/m.test(fixture.text));

  it.each(fixable.map((fixture) => [path.basename(fixture.file), fixture]))('quick fix of %s removes every finding of the rule', (_file, fixture) => {
    const { findings } = lint(fixture.text, fixture.options, name);
    expect(findings.every((finding) => finding.fixes.some((fix) => !fix.title.startsWith('Ignore')))).toBe(true);
    expect(lint(fixAll(fixture.text, fixture), fixture.options, name).findings.map((finding) => finding.message)).toEqual([]);
  });

  it('can be suppressed with -- pglens-ignore', () => {
    for (const fixture of fixtures.filter((candidate) => candidate.kind === 'fail')) {
      const suppressed = `-- pglens-ignore-file ${name}\n${fixture.text}`;
      expect(lint(suppressed, fixture.options, name).findings).toEqual([]);
    }
  });

  describe.skipIf(!TEST_DATABASE_URL || fixable.length === 0)('fixed SQL on the real server', () => {
    const database = `pglens_test_rule_${name.replace(/-/g, '_')}_${process.pid}`.slice(0, 63);
    let admin: Client;

    beforeAll(async () => {
      admin = new Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
    });

    afterAll(async () => {
      await admin?.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await admin?.end();
    });

    it.each(fixable.map((fixture) => [path.basename(fixture.file), fixture]))('%s, fixed, runs without error', async (_file, fixture) => {
      const text = fixAll(fixture.text, fixture);
      await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await admin.query(`CREATE DATABASE "${database}"`);
      const url = new URL(TEST_DATABASE_URL!);
      url.pathname = `/${database}`;
      const client = new Client({ connectionString: url.toString() });
      await client.connect();
      try {
        const setup = path.join(path.dirname(fixture.file), 'setup.sql');
        if (fs.existsSync(setup)) await client.query(fs.readFileSync(setup, 'utf8'));
        // One statement at a time, outside any transaction, as psql runs a file.
        for (const statement of analyzeDocument(text).statements) await client.query(statement.segment.sql);
      } finally {
        await client.end();
      }
    });
  });
});
