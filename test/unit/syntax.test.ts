import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../protocol/findings';
import { checkText } from '../../server/src/features/check';
import { loadParser } from '../../server/src/sql/parser';
import { LineIndex } from '../../server/src/text/offsets';

beforeAll(async () => {
  await loadParser();
});

/** The text a finding underlines. */
function underlined(text: string, finding: Finding): string {
  const index = new LineIndex(text);
  return text.slice(index.offsetAt(finding.range.start), index.offsetAt(finding.range.end));
}

describe('syntax findings', () => {
  it('underlines the token PostgreSQL names, with its message', () => {
    const text = 'select 1;\nselect * form users;\n';
    const [finding] = checkText(text);
    expect(finding).toMatchObject({ severity: 'error', code: 'syntax', message: 'syntax error at or near "form"' });
    expect(finding.range.start).toEqual({ line: 1, character: 9 });
    expect(underlined(text, finding)).toBe('form');
  });

  it('is exact after emoji, CJK and accented text on the same line', () => {
    const text = `select '😀😀', '中文', 'é' fro t;`;
    const [finding] = checkText(text);
    expect(underlined(text, finding)).toBe('t');
    expect(finding.range.start.character).toBe(text.lastIndexOf('t'));
  });

  it('reports every broken statement, not only the first', () => {
    const text = 'selec 1;\nselect 2;\ncreate tabel t (a int);\nselect 3;';
    const findings = checkText(text);
    expect(findings.map((finding) => underlined(text, finding))).toEqual(['selec', 'tabel']);
  });

  it('underlines the last token for errors at end of input', () => {
    const text = 'select 1 +';
    const [finding] = checkText(text);
    expect(finding.message).toBe('syntax error at end of input');
    expect(underlined(text, finding)).toBe('+');
  });

  it('keeps an unterminated string on its first line', () => {
    const text = `select 1;\nselect 'oops;\nselect 2;\nselect 3;`;
    const [finding] = checkText(text);
    expect(finding.message).toMatch(/^unterminated quoted string/);
    expect(finding.range.start).toEqual({ line: 1, character: 7 });
    expect(finding.range.end.line).toBe(1);
  });

  it('recovers after a missing closing parenthesis', () => {
    const text = 'create table a (id int;\ncreate table b (id int);\nselect * fro b;';
    const findings = checkText(text);
    expect(findings.map((finding) => [finding.range.start.line, underlined(text, finding)])).toEqual([
      [0, ';'],
      [2, 'fro'],
    ]);
  });

  it('places PL/pgSQL errors inside the function body', () => {
    const text = `create function f() returns int language plpgsql as $$
begin
  retrun 1;
end
$$;`;
    const [finding] = checkText(text);
    expect(finding.message).toBe('syntax error at or near "retrun"');
    expect(finding.range.start).toEqual({ line: 2, character: 2 });
    expect(underlined(text, finding)).toBe('retrun');
  });

  it('checks DO blocks and ignores non-plpgsql bodies', () => {
    expect(checkText(`do $$ begin perfom 1; end $$;`)).toHaveLength(1);
    expect(checkText(`create function g() returns int language sql as $$ select 1 $$;`)).toEqual([]);
    expect(checkText(`do $$ begin perfom 1; end $$;`, { maxFileSize: 1e9, plpgsql: false })).toEqual([]);
  });

  it('skips psql meta-commands and COPY data', () => {
    const text = `\\set ON_ERROR_STOP on\n\\connect app\ncopy t from stdin;\n1\tnot sql at all\n\\.\nselect 1;`;
    expect(checkText(text)).toEqual([]);
  });
});

describe('bad input', () => {
  it('skips a file over the size limit with one clear message', () => {
    const text = 'select 1;\n'.repeat(2_100_000); // ~21 MB
    const findings = checkText(text);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'information', code: 'file-skipped' });
    expect(findings[0].message).toMatch(/MB is over the 10\.0 MB limit/);
  });

  it('skips binary content', () => {
    const [finding] = checkText('PK\u0003\u0004\u0000\u0000garbage');
    expect(finding.message).toMatch(/NUL byte at offset 4/);
  });

  it('reports 10,000 nested parentheses as an error, not a crash', () => {
    const [finding] = checkText(`select ${'('.repeat(10000)}1${')'.repeat(10000)};`);
    expect(finding.severity).toBe('error');
    expect(finding.message).toMatch(/memory exhausted|stack depth/);
  });

  it('still parses 1,000 nested parentheses', () => {
    expect(checkText(`select ${'('.repeat(1000)}1${')'.repeat(1000)};`)).toEqual([]);
  });
});

const corpus = path.join(__dirname, '../fixtures/corpus');

describe('valid corpus', () => {
  const files = fs.readdirSync(path.join(corpus, 'valid')).filter((file) => file.endsWith('.sql'));

  it.each(files)('%s gives no findings', (file) => {
    const text = fs.readFileSync(path.join(corpus, 'valid', file), 'utf8');
    expect(checkText(text)).toEqual([]);
  });
});

describe('invalid corpus', () => {
  const files = fs.readdirSync(path.join(corpus, 'invalid')).filter((file) => file.endsWith('.sql'));

  it.each(files)('%s: one error per statement, on the token PostgreSQL names', (file) => {
    const source = fs.readFileSync(path.join(corpus, 'invalid', file), 'utf8');
    const expected = [...source.matchAll(/^-- error: (.*)$/gm)].map((match) => match[1]);
    // Markers out of the text, so an unterminated quote does not swallow them.
    const text = source.replace(/\n?^-- error: .*$/gm, '').trimEnd();
    expect(expected.length).toBeGreaterThan(0);
    const findings = checkText(text);
    expect(findings.map((finding) => finding.message)).toEqual(expected);
    for (const finding of findings) {
      const near = /at or near "([\s\S]*)"$/.exec(finding.message)?.[1];
      if (near) expect(near.startsWith(underlined(text, finding))).toBe(true);
    }
  });
});
