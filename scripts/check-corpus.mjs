#!/usr/bin/env node
// Verifies the SQL syntax-checker corpus in test/fixtures/corpus against the
// real PostgreSQL 18 parser (libpg-query).
//
//   valid/*.sql    every file must parse as a whole; statements are counted.
//   invalid/*.sql  blank-line separated chunks: one statement followed by a
//                  marker line `-- error: <exact parser message>`. Each
//                  statement is parsed alone and must fail with exactly that
//                  message, with the error cursor pointing at the quoted token
//                  (or at the end of the text for "at end of input").
//
// Usage: node scripts/check-corpus.mjs [--each] [--corpus=DIR]
//   --each     also parse every valid statement on its own and list every
//              failing statement (not just the first one per file).
//   --corpus   check another directory laid out like test/fixtures/corpus.

import { createRequire } from 'node:module';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { loadModule, parseSync, scanSync } = require('libpg-query');

const MIN_VALID_STATEMENTS = 2000;
const MIN_INVALID_STATEMENTS = 120;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const corpusArg = argv.find((a) => a.startsWith('--corpus='));
const corpus = corpusArg ? resolve(corpusArg.slice('--corpus='.length)) : join(root, 'test', 'fixtures', 'corpus');
const each = argv.includes('--each');

const failures = [];
function fail(msg) {
  failures.push(msg);
  console.error(`FAIL ${msg}`);
}

/** Converts a 0-based code point offset into a UTF-16 string index. */
function codePointToIndex(text, cp) {
  let index = 0;
  let seen = 0;
  while (seen < cp && index < text.length) {
    const code = text.codePointAt(index);
    index += code > 0xffff ? 2 : 1;
    seen++;
  }
  return index;
}

/** Converts a UTF-8 byte offset (as returned by scanSync) into a string index. */
function byteToIndex(text, byte) {
  return Buffer.from(text, 'utf8').subarray(0, byte).toString('utf8').length;
}

/** 1-based line:column of a UTF-16 string index. */
function lineCol(text, index) {
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  const col = index - before.lastIndexOf('\n');
  return `${line}:${col}`;
}

function sqlFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => join(dir, f));
}

/** Splits a script into statements at top-level `;` tokens (for --each). */
function splitStatements(text) {
  const { tokens } = scanSync(text);
  const out = [];
  let start = 0;
  for (const tok of tokens) {
    if (tok.text === ';') {
      const end = byteToIndex(text, tok.end);
      out.push({ start, text: text.slice(start, end) });
      start = end;
    }
  }
  if (text.slice(start).trim()) out.push({ start, text: text.slice(start) });
  return out;
}

function checkValid() {
  const files = sqlFiles(join(corpus, 'valid'));
  let total = 0;
  console.log('valid corpus:');
  for (const file of files) {
    const rel = relative(corpus, file);
    const text = readFileSync(file, 'utf8');
    let count = 0;
    try {
      const result = parseSync(text);
      count = result.stmts.length;
      if (count === 0) fail(`${rel}: no statements`);
    } catch (err) {
      const cp = err.sqlDetails?.cursorPosition;
      const where = cp === undefined ? '?' : lineCol(text, codePointToIndex(text, cp));
      fail(`${rel}:${where}: ${err.message}`);
    }
    if (each) {
      // BEGIN ATOMIC bodies contain top-level `;` tokens: a piece that ends
      // prematurely is joined with the following one before reporting.
      let pieces = [];
      try {
        pieces = splitStatements(text);
      } catch (err) {
        fail(`${rel}: scanner failed: ${err.message}`);
      }
      for (let i = 0; i < pieces.length; i++) {
        let stmt = pieces[i];
        for (;;) {
          try {
            parseSync(stmt.text);
            break;
          } catch (err) {
            if (/at end of input$/.test(err.message) && i + 1 < pieces.length) {
              i++;
              stmt = { start: stmt.start, text: stmt.text + pieces[i].text };
              continue;
            }
            const cp = err.sqlDetails?.cursorPosition ?? 0;
            const where = lineCol(text, stmt.start + codePointToIndex(stmt.text, cp));
            fail(`${rel}:${where}: ${err.message}`);
            break;
          }
        }
      }
    }
    total += count;
    console.log(`  ${String(count).padStart(5)}  ${rel}`);
  }
  console.log(`  ${String(total).padStart(5)}  total in ${files.length} files`);
  if (total < MIN_VALID_STATEMENTS) {
    fail(`valid corpus has ${total} statements, expected at least ${MIN_VALID_STATEMENTS}`);
  }
  return total;
}

const MARKER = /^-- error: (.*)$/;
const NEAR = / at or near "(.*)"$/s;

function checkInvalid() {
  const files = sqlFiles(join(corpus, 'invalid'));
  let total = 0;
  console.log('invalid corpus:');
  for (const file of files) {
    const rel = relative(corpus, file);
    const text = readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
    const chunks = text.split(/\n[ \t]*\n/).map((c) => c.replace(/^\n+|\n+$/g, '')).filter(Boolean);
    let count = 0;
    for (const chunk of chunks) {
      const lines = chunk.split('\n');
      const markerLine = lines[lines.length - 1];
      const marker = MARKER.exec(markerLine);
      if (!marker) {
        // A chunk made only of comments (a file header) is allowed.
        if (lines.every((l) => l.trim().startsWith('--'))) continue;
        fail(`${rel}: chunk without a "-- error:" marker on its last line:\n${chunk}`);
        continue;
      }
      if (lines.slice(0, -1).some((l) => MARKER.test(l))) {
        fail(`${rel}: chunk with more than one marker (missing blank line?):\n${chunk}`);
        continue;
      }
      const expected = marker[1];
      const stmt = lines.slice(0, -1).join('\n');
      if (!stmt.trim()) {
        fail(`${rel}: marker without a statement: ${markerLine}`);
        continue;
      }
      count++;
      let err;
      try {
        parseSync(stmt);
      } catch (e) {
        err = e;
      }
      const label = `${rel}: ${JSON.stringify(stmt.length > 70 ? stmt.slice(0, 70) + '…' : stmt)}`;
      if (!err) {
        fail(`${label}: parsed successfully, expected error: ${expected}`);
        continue;
      }
      if (err.message !== expected) {
        fail(`${label}:\n    expected: ${expected}\n    actual:   ${err.message}`);
        continue;
      }
      const cp = err.sqlDetails?.cursorPosition;
      if (typeof cp !== 'number') {
        fail(`${label}: error has no cursor position`);
        continue;
      }
      const index = codePointToIndex(stmt, cp);
      if (/ at end of input$/.test(expected)) {
        if (index !== stmt.length) {
          fail(`${label}: "at end of input" but cursor ${cp} is not at the end (${[...stmt].length})`);
        }
        continue;
      }
      const near = NEAR.exec(expected);
      if (near && !stmt.slice(index).startsWith(near[1])) {
        fail(`${label}: cursor ${cp} points at ${JSON.stringify(stmt.slice(index, index + 20))}, not at "${near[1]}"`);
      }
    }
    if (count === 0) fail(`${rel}: no statements`);
    total += count;
    console.log(`  ${String(count).padStart(5)}  ${rel}`);
  }
  console.log(`  ${String(total).padStart(5)}  total in ${files.length} files`);
  if (total < MIN_INVALID_STATEMENTS) {
    fail(`invalid corpus has ${total} statements, expected at least ${MIN_INVALID_STATEMENTS}`);
  }
  return total;
}

await loadModule();
const valid = checkValid();
const invalid = checkInvalid();
if (failures.length) {
  console.error(`\n${failures.length} failure(s); ${valid} valid and ${invalid} invalid statements checked.`);
  process.exit(1);
}
console.log(`\nOK: ${valid} valid statements, ${invalid} invalid statements.`);
