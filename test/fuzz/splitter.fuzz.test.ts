/**
 * Property tests of the splitter and the parser wrapper, with PostgreSQL's own parser (libpg-query) as
 * the judge: a segment the splitter returns never holds more than one statement, and statements joined
 * with every quoting and comment trick come back one per segment. A short slice runs in `npm test`;
 * `npm run fuzz -- --runs N` runs the same properties N times with a new seed.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeDocument } from '../../server/src/document/analyze';
import { loadParser, parseStatement, statementCount } from '../../server/src/sql/parser';
import { splitStatements } from '../../server/src/sql/splitter';
import { fuzzParameters, statementList, trickySql } from './arbitraries';

beforeAll(async () => {
  await loadParser();
});

describe('splitter and parser under fuzzed input', () => {
  it('no segment parses as more than one statement', () => {
    fc.assert(
      fc.property(fc.oneof(trickySql, statementList.map((list) => list.text)), (text) => {
        for (const segment of splitStatements(text)) {
          if (segment.kind !== 'statement') continue;
          const count = statementCount(segment.sql);
          if (count !== undefined && count > 1) throw new Error(`segment holds ${count} statements: ${JSON.stringify(segment.sql)}`);
        }
      }),
      fuzzParameters(),
    );
  });

  it('finds each statement of a list joined with comments, CR, LF and CRLF', () => {
    fc.assert(
      fc.property(statementList, ({ statements, text }) => {
        const segments = splitStatements(text).filter((segment) => segment.kind === 'statement');
        expect(segments.map((segment) => statementCount(segment.sql))).toEqual(statements.map(() => 1));
      }),
      fuzzParameters(),
    );
  });

  it('segments tile the text in order and never overlap', () => {
    fc.assert(
      fc.property(trickySql, (text) => {
        let end = 0;
        for (const segment of splitStatements(text)) {
          expect(segment.start).toBeGreaterThanOrEqual(end);
          expect(segment.end).toBeGreaterThanOrEqual(segment.start);
          expect(segment.end).toBeLessThanOrEqual(text.length);
          if (segment.kind === 'statement') expect(segment.sql.length).toBe(segment.end - segment.start);
          end = segment.end;
        }
      }),
      fuzzParameters(),
    );
  });

  it('the parser wrapper and the document analysis never throw', () => {
    fc.assert(
      fc.property(fc.oneof(trickySql, fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 100 })), (text) => {
        parseStatement(text);
        const analysis = analyzeDocument(text);
        for (const statement of analysis.statements) expect(statement.segment.end).toBeLessThanOrEqual(text.length);
      }),
      fuzzParameters(),
    );
  });
});
