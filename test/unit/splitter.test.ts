import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseSync, loadModule } from 'libpg-query';
import { beforeAll, describe, expect, it } from 'vitest';
import { splitStatements } from '../../server/src/sql/splitter';
import type { Segment } from '../../server/src/sql/splitter';
import { utf8ByteToUtf16 } from '../../server/src/text/offsets';

const texts = (text: string, kind: Segment['kind'] = 'statement'): string[] =>
  splitStatements(text)
    .filter((segment) => segment.kind === kind)
    .map((segment) => text.slice(segment.start, segment.end));

describe('splitStatements', () => {
  it('splits on semicolons and keeps the semicolon in the statement', () => {
    expect(texts('select 1; select 2;\nselect 3')).toEqual(['select 1;', 'select 2;', 'select 3']);
  });

  it('starts statements after leading comments and whitespace', () => {
    const text = '-- header\n/* block */\n  create table t (a int);';
    const [segment] = splitStatements(text);
    expect(segment.start).toBe(text.indexOf('create'));
  });

  it('ignores semicolons in strings, quoted identifiers, comments and parentheses', () => {
    const text = `select ';', "a;b", E'\\';' /* ; /* nested ; */ still ; */ from t; -- ; \nselect (1;2);`;
    expect(texts(text)).toHaveLength(2);
  });

  it('handles doubled quotes and E-string backslash escapes', () => {
    expect(texts(`select 'it''s; fine'; select e'a\\';b'; select 'x\\'; select 2;`)).toEqual([
      `select 'it''s; fine';`,
      `select e'a\\';b';`,
      `select 'x\\';`,
      'select 2;',
    ]);
  });

  it('keeps dollar-quoted bodies whole, with and without tags', () => {
    const text = `create function f() returns int language plpgsql as $fn$ begin return 1; end $fn$;
do $$ begin perform 1; end $$;
select $a$ $$ ; $a$;`;
    expect(texts(text)).toHaveLength(3);
  });

  it('does not take $1 or identifiers with $ for dollar quotes', () => {
    expect(texts('select $1, a$b$ from t; select 2;')).toEqual(['select $1, a$b$ from t;', 'select 2;']);
  });

  it('keeps BEGIN ATOMIC bodies whole, including CASE … END inside', () => {
    const text = `create function f(a int) returns int language sql
begin atomic
  select case when a > 0 then 1 else 0 end;
  select 2;
end;
select 3;`;
    const statements = texts(text);
    expect(statements).toHaveLength(2);
    expect(statements[0]).toMatch(/^create function[\s\S]*\nend;$/);
  });

  it('takes BEGIN ATOMIC only as the body of CREATE [OR REPLACE] FUNCTION|PROCEDURE, with nothing between the words', () => {
    expect(texts('SELECT begin, atomic FROM t; COMMIT; INSERT INTO t VALUES (1);')).toEqual(['SELECT begin, atomic FROM t;', 'COMMIT;', 'INSERT INTO t VALUES (1);']);
    expect(texts('SELECT begin atomic FROM t; COMMIT;')).toEqual(['SELECT begin atomic FROM t;', 'COMMIT;']);
    expect(texts('CREATE FUNCTION f(begin atomic) RETURNS int LANGUAGE sql RETURN 1; COMMIT;')).toHaveLength(2);
    expect(texts('CREATE OR REPLACE PROCEDURE p() LANGUAGE sql BEGIN /* c */ ATOMIC INSERT INTO t VALUES (1); END; COMMIT;')).toHaveLength(2);
  });

  it('ends a -- comment at CR, LF or CRLF alike', () => {
    for (const end of ['\r', '\n', '\r\n']) {
      expect(texts(`SELECT 1 -- note${end}; COMMIT; SELECT 2;`)).toEqual([`SELECT 1 -- note${end};`, 'COMMIT;', 'SELECT 2;']);
    }
  });

  it('treats a transaction BEGIN as an ordinary statement', () => {
    expect(texts('begin; select 1; commit;')).toEqual(['begin;', 'select 1;', 'commit;']);
  });

  it('recognises psql meta-commands as their own segments', () => {
    const text = `\\set ON_ERROR_STOP on\n\\connect app\nselect 1;\n\\i other.sql\n`;
    expect(texts(text, 'psql')).toEqual(['\\set ON_ERROR_STOP on', '\\connect app', '\\i other.sql']);
    expect(texts(text)).toEqual(['select 1;']);
  });

  it('ends a statement at \\gset and blanks other meta-commands inside a statement', () => {
    const text = `select 1 as x \\gset\nselect 2\n\\echo hi\n, 3;`;
    const segments = splitStatements(text).filter((segment) => segment.kind === 'statement');
    expect(segments.map((segment) => text.slice(segment.start, segment.end))).toEqual(['select 1 as x', `select 2\n\\echo hi\n, 3;`]);
    expect(segments[1].sql).toBe(`select 2\n        \n, 3;`);
    expect(segments[1].sql.length).toBe(segments[1].end - segments[1].start);
  });

  it('skips COPY … FROM stdin data up to \\.', () => {
    const text = `copy t (a, b) from stdin;\n1\tx; not sql\n2\t'\n\\.\nselect 1;`;
    const segments = splitStatements(text);
    expect(segments.map((segment) => segment.kind)).toEqual(['statement', 'copy-data', 'statement']);
    expect(text.slice(segments[1].start, segments[1].end)).toBe(`1\tx; not sql\n2\t'\n\\.`);
    expect(text.slice(segments[2].start, segments[2].end)).toBe('select 1;');
  });

  it('skips \\copy … from stdin data too', () => {
    const segments = splitStatements(`\\copy t from stdin\na;b\n\\.\nselect 1;`);
    expect(segments.map((segment) => segment.kind)).toEqual(['psql', 'copy-data', 'statement']);
  });

  it('lets an unterminated quote run to the end as one statement', () => {
    expect(texts(`select 1; select 'oops; select 2;`)).toEqual(['select 1;', `select 'oops; select 2;`]);
    expect(texts(`select 1; select $$oops; select 2;`)).toHaveLength(2);
    expect(texts(`select 1; /* oops; select 2;`)).toEqual(['select 1;', '/* oops; select 2;']);
    expect(texts(`select 1 /* oops; select 2;`)).toEqual(['select 1 /* oops; select 2;']);
  });

  it('ends a final statement without semicolon at its last token, not at trailing comments', () => {
    expect(texts('select 1 -- trailing\n/* and more */\n')).toEqual(['select 1']);
  });

  it('survives 10,000 nested parentheses', () => {
    const text = `select ${'('.repeat(10000)}1${')'.repeat(10000)}; select 2;`;
    expect(texts(text)).toHaveLength(2);
  });

  it('keeps offsets exact with non-ASCII text', () => {
    const text = `select '😀;中'; select "naïve";`;
    expect(texts(text)).toEqual([`select '😀;中';`, 'select "naïve";']);
  });
});

describe('splitStatements agrees with PostgreSQL on the valid corpus', () => {
  beforeAll(async () => {
    await loadModule();
  });
  const corpus = path.join(__dirname, '../fixtures/corpus/valid');
  const files = fs.existsSync(corpus) ? fs.readdirSync(corpus).filter((file) => file.endsWith('.sql')) : [];

  it('has corpus files', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(files)('%s: same statement starts as libpg-query', (file) => {
    const text = fs.readFileSync(path.join(corpus, file), 'utf8');
    const expected = (parseSync(text).stmts ?? []).map((raw) => {
      const start = utf8ByteToUtf16(text, raw.stmt_location ?? 0);
      // libpg-query's statement starts include leading comments and whitespace; ours start at the first token.
      const rest = text.slice(start);
      return start + (rest.length - rest.replace(/^(\s|--[^\n]*|\/\*[\s\S]*?\*\/)*/, '').length);
    });
    const actual = splitStatements(text)
      .filter((segment) => segment.kind === 'statement')
      .map((segment) => segment.start);
    expect(actual).toEqual(expected);
  });
});
