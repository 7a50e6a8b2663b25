import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runPglens } from './run';

let workspace: string;
const pglens = (...args: string[]): ReturnType<typeof runPglens> => runPglens(workspace, args);

beforeAll(() => {
  workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'pglens-cli-'));
  const write = (file: string, content: string | Buffer): void => {
    fs.mkdirSync(path.dirname(path.join(workspace, file)), { recursive: true });
    fs.writeFileSync(path.join(workspace, file), content);
  };
  write('clean/001_init.sql', 'create table users (id bigint primary key, name text);\n');
  write('clean/002_more.pgsql', "insert into users values (1, 'é 😀');\n");
  write('broken/V1__init.sql', 'create table a (id int);\nselec 1;\n');
  write('broken/V10__later.sql', 'select 1;\n');
  write('broken/V2__next.sql', '-- 中文\nselect * fro a;\n');
  write('broken/notes.txt', 'selec not sql');
  write('latin1/bad.sql', Buffer.from([0x73, 0x65, 0x6c, 0x65, 0x63, 0x74, 0x20, 0x27, 0xe9, 0x27, 0x3b, 0x0a]));
  write('binary/blob.sql', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]));
});

describe('pglens check', () => {
  it('exits 0 with no output on clean files', () => {
    const result = pglens('check', 'clean');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/0 errors and 0 warnings in 2 files/);
  });

  it('exits 1 and prints file:line:col: severity code: message, in natural order', () => {
    const result = pglens('check', 'broken');
    expect(result.code).toBe(1);
    expect(result.stdout.trim().split('\n')).toEqual([
      `${path.join('broken', 'V1__init.sql')}:2:1: error syntax: syntax error at or near "selec"`,
      `${path.join('broken', 'V2__next.sql')}:2:10: error syntax: syntax error at or near "fro"`,
    ]);
  });

  it('prints the json contract', () => {
    const result = pglens('check', '--reporter', 'json', 'broken');
    const findings = JSON.parse(result.stdout) as unknown[];
    expect(findings).toEqual([
      {
        file: path.join('broken', 'V1__init.sql'),
        range: { start: { line: 1, character: 0 }, end: { line: 1, character: 5 } },
        severity: 'error',
        code: 'syntax',
        message: 'syntax error at or near "selec"',
      },
      {
        file: path.join('broken', 'V2__next.sql'),
        range: { start: { line: 1, character: 9 }, end: { line: 1, character: 12 } },
        severity: 'error',
        code: 'syntax',
        message: 'syntax error at or near "fro"',
      },
    ]);
    expect(result.code).toBe(1);
  });

  it('prints an empty json array when clean', () => {
    expect(JSON.parse(pglens('check', '--reporter', 'json', 'clean').stdout)).toEqual([]);
  });

  it('prints SARIF 2.1.0 with 1-based regions', () => {
    const sarif = JSON.parse(pglens('check', '--reporter', 'sarif', 'broken').stdout);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toMatch(/sarif-2\.1\.0/);
    const [run] = sarif.runs;
    expect(run.tool.driver.name).toBe('pglens');
    expect(run.tool.driver.rules).toEqual([{ id: 'syntax', shortDescription: { text: 'PostgreSQL syntax error' } }]);
    expect(run.results).toHaveLength(2);
    expect(run.results[1]).toMatchObject({
      ruleId: 'syntax',
      ruleIndex: 0,
      level: 'error',
      message: { text: 'syntax error at or near "fro"' },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'broken/V2__next.sql' }, region: { startLine: 2, startColumn: 10, endLine: 2, endColumn: 13 } } }],
    });
  });

  it('prints GitHub workflow commands', () => {
    const lines = pglens('check', '--reporter', 'github', 'broken').stdout.trim().split('\n');
    expect(lines[1]).toBe(`::error file=broken/V2__next.sql,line=2,col=10,endLine=2,endColumn=13,title=pglens syntax::syntax error at or near "fro"`);
  });

  it('warns about invalid UTF-8 and honours --max-warnings', () => {
    const lenient = pglens('check', 'latin1');
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toMatch(/bad\.sql:1:1: warning invalid-utf8: File is not valid UTF-8 \(first bad byte at offset 8\)/);
    expect(pglens('check', '--max-warnings', '1', 'latin1').code).toBe(0);
    expect(pglens('check', '--max-warnings', '0', 'latin1').code).toBe(1);
  });

  it('skips binary files with a message', () => {
    const result = pglens('check', 'binary');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/blob\.sql:1:1: information file-skipped: File not checked: it contains a NUL byte at offset 4/);
  });

  it('checks the current folder by default and explicit files of any extension', () => {
    expect(pglens('check').code).toBe(1);
    expect(pglens('check', 'broken/notes.txt').stdout).toMatch(/notes\.txt:1:1: error syntax/);
  });

  it('exits 2 on bad usage', () => {
    expect(pglens('check', 'does-not-exist').code).toBe(2);
    expect(pglens('check', '--reporter', 'xml', 'clean').code).toBe(2);
    expect(pglens('check', '--max-warnings', 'many', 'clean').code).toBe(2);
    expect(pglens('frobnicate').code).toBe(2);
    expect(pglens('check', '--bogus').code).toBe(2);
  });

  it('prints help and version', () => {
    expect(pglens('--help').stdout).toMatch(/pglens check \[paths…\]/);
    expect(pglens('--version').stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
