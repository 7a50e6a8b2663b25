/**
 * fast-check arbitraries for SQL text built to confuse a statement splitter: every quoting and comment
 * form PostgreSQL's scanner knows, each kind of line end (CR, LF, CRLF), `BEGIN ATOMIC` bodies and the
 * words `begin`/`atomic`/`end`/`case` where they are not one, next to statements that must stay apart.
 */
import fc from 'fast-check';

/** How many runs a property gets: a short slice in `npm test`, `npm run fuzz -- --runs N` for a long one. */
export const FUZZ_RUNS = Number(process.env.PGLENS_FUZZ_RUNS ?? 200);
/** A fixed seed in `npm test` (the same slice every time); the long run draws a new one, printed on failure. */
export const FUZZ_SEED = process.env.PGLENS_FUZZ_SEED !== undefined ? Number(process.env.PGLENS_FUZZ_SEED) : process.env.PGLENS_FUZZ_RUNS ? undefined : 20261202;

export function fuzzParameters(): fc.Parameters<unknown> {
  return { numRuns: FUZZ_RUNS, ...(FUZZ_SEED !== undefined ? { seed: FUZZ_SEED } : {}) };
}

const lineEnds = ['\n', '\r', '\r\n'];

/** Pieces that open or close a quoted or commented region, or end a statement. */
const trickyPieces = [
  ';',
  "'",
  "''",
  '"',
  '""',
  '$$',
  '$a$',
  '$a',
  'a$',
  '$1',
  '--',
  '-- ;',
  '/*',
  '*/',
  '/* /* */',
  "E'",
  "e'\\'",
  '\\',
  "U&'",
  "b'",
  "X'",
  '(',
  ')',
  ',',
  ' ',
  '\t',
  ...lineEnds,
];

const words = ['begin', 'atomic', 'BEGIN ATOMIC', 'end', 'END;', 'case', 'when', 'then', 'select', 'commit', 'rollback', 'create', 'function', 'procedure', 'or replace', 'returns', 'as', 'language sql', 'copy', 'from stdin', 'x', 'begin_', '_atomic'];

/** Statements that parse on their own: what a smuggler would like to append. */
export const wholeStatements = [
  'SELECT 1',
  'COMMIT',
  'ROLLBACK',
  'BEGIN',
  'INSERT INTO t VALUES (1)',
  "SELECT 'a;b', \"c;d\" FROM t",
  'SELECT $$;$$',
  "SELECT E'\\';'",
  'SELECT begin, atomic FROM t',
  'SELECT begin atomic FROM t',
  'CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 END; END',
  'CREATE OR REPLACE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); END',
  'CREATE FUNCTION g(begin int) RETURNS int LANGUAGE sql RETURN begin',
  'DO $x$ BEGIN PERFORM 1; END $x$',
  'SELECT 1 /* ; /* ; */ ; */',
  'SELECT 1 -- ;\r',
];

/** Random text from the tricky pieces, words and whole statements. */
export const trickySql: fc.Arbitrary<string> = fc
  .array(fc.oneof(fc.constantFrom(...trickyPieces), fc.constantFrom(...words), fc.constantFrom(...wholeStatements), fc.string({ maxLength: 4 })), { maxLength: 40 })
  .map((pieces) => pieces.join(''));

/** Trivia between statements: whitespace and comments, with every line end. */
const trivia: fc.Arbitrary<string> = fc
  .array(fc.oneof(fc.constantFrom(' ', ...lineEnds, '/* c */', '/* /* nested ; */ */'), fc.constantFrom(...lineEnds).map((end) => `-- note ;${end}`)), { maxLength: 4 })
  .map((pieces) => pieces.join(''));

/** Whole statements joined by `;` and trivia: the splitter must find each of them. */
export const statementList: fc.Arbitrary<{ statements: string[]; text: string }> = fc
  .array(fc.tuple(fc.constantFrom(...wholeStatements), trivia, trivia), { minLength: 1, maxLength: 6 })
  .map((items) => ({ statements: items.map(([statement]) => statement), text: items.map(([statement, before, after]) => `${before}${statement}${after};`).join('') }));
