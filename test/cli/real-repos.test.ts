import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPglens } from './run';

const FIXTURES = path.join(__dirname, '../fixtures/real-repos');

interface Expected {
  file: string;
  line: number;
  code: string;
  severity: string;
  reason: string;
}

const key = (finding: { file: string; line: number; code: string; severity: string }): string => `${finding.file}:${finding.line} ${finding.severity} ${finding.code}`;

/** Each fixture is checked from its root, as `pglens check .` in the project would be. */
describe.each(['goose-examples', 'umami', 'basejump'])('pglens check on %s', (name) => {
  const root = path.join(FIXTURES, name);
  const expected = JSON.parse(fs.readFileSync(path.join(root, 'expected-findings.json'), 'utf8')) as Expected[];

  it('reports exactly the reviewed findings', () => {
    const result = runPglens(root, ['check', '--no-schema', '--reporter', 'json', '.']);
    const findings = (JSON.parse(result.stdout) as Array<{ file: string; range: { start: { line: number } }; code: string; severity: string }>).map((finding) => ({
      file: finding.file.split(path.sep).join('/'),
      line: finding.range.start.line + 1,
      code: finding.code,
      severity: finding.severity,
    }));
    expect(findings.map(key).sort()).toEqual(expected.map(key).sort());
    for (const finding of expected) expect(finding.reason.length).toBeGreaterThan(10);
    expect(result.code).toBe(expected.some((finding) => finding.severity === 'error') ? 1 : 0);
  });
});
