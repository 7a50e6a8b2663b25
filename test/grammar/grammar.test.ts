// Snapshot and behaviour tests for the PostgreSQL TextMate grammar
// (syntaxes/pgsql.tmLanguage.yaml -> syntaxes/pgsql.tmLanguage.json).
//
// Every test/grammar/samples/*.pgsql file is tokenized line by line (the rule
// stack is carried from line to line, as in the editor) and compared with
// test/grammar/__snapshots__/<sample>.snap. Update snapshots with
// `npx vitest run test/grammar -u` and READ the diff before committing.
import { describe, it, expect } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import yaml from 'js-yaml';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';
import type { IGrammar, IRawGrammar, StateStack } from 'vscode-textmate';

const repoRoot = path.resolve(__dirname, '..', '..');
const syntaxesDir = path.join(repoRoot, 'syntaxes');
const grammarJsonPath = path.join(syntaxesDir, 'pgsql.tmLanguage.json');
const grammarYamlPath = path.join(syntaxesDir, 'pgsql.tmLanguage.yaml');
const samplesDir = path.join(__dirname, 'samples');
const ROOT_SCOPE = 'source.pgsql';

interface Token {
  text: string;
  /** scopes without the root `source.pgsql` */
  scopes: string[];
}

let onigLibPromise: Promise<vsctm.IOnigLib> | undefined;

function loadOnigLib(): Promise<vsctm.IOnigLib> {
  if (!onigLibPromise) {
    const wasmPath = path.join(repoRoot, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm');
    const wasm = fs.readFileSync(wasmPath);
    const data = wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength);
    onigLibPromise = oniguruma.loadWASM(data).then(() => ({
      createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
      createOnigString: (str: string) => new oniguruma.OnigString(str),
    }));
  }
  return onigLibPromise;
}

let grammarPromise: Promise<IGrammar> | undefined;

function loadGrammar(): Promise<IGrammar> {
  if (!grammarPromise) {
    grammarPromise = (async () => {
      const registry = new vsctm.Registry({
        onigLib: loadOnigLib(),
        loadGrammar: async (scopeName: string): Promise<IRawGrammar | null> => {
          if (scopeName !== ROOT_SCOPE) return null;
          return vsctm.parseRawGrammar(fs.readFileSync(grammarJsonPath, 'utf8'), grammarJsonPath);
        },
      });
      const grammar = await registry.loadGrammar(ROOT_SCOPE);
      if (!grammar) throw new Error(`grammar ${ROOT_SCOPE} not found`);
      return grammar;
    })();
  }
  return grammarPromise;
}

/** Tokenizes `source` line by line, carrying the rule stack across lines. */
async function tokenize(source: string): Promise<Token[][]> {
  const grammar = await loadGrammar();
  let ruleStack: StateStack = vsctm.INITIAL;
  const result: Token[][] = [];
  for (const line of source.split(/\r?\n/)) {
    const lineResult = grammar.tokenizeLine(line, ruleStack);
    ruleStack = lineResult.ruleStack;
    result.push(
      lineResult.tokens.map((token) => ({
        text: line.slice(token.startIndex, token.endIndex),
        scopes: token.scopes.filter((scope) => scope !== ROOT_SCOPE),
      })),
    );
  }
  return result;
}

/** The readable snapshot: each line, then `  <text> -> <scopes>` per token. */
function render(source: string, lines: Token[][]): string {
  const sourceLines = source.split(/\r?\n/);
  const out: string[] = [];
  lines.forEach((tokens, i) => {
    out.push(sourceLines[i] ?? '');
    for (const token of tokens) {
      if (token.text.trim() === '') continue; // whitespace-only tokens are noise
      out.push(`  ${token.text} -> ${token.scopes.join(' ')}`.trimEnd());
    }
  });
  return out.join('\n') + '\n';
}

/** The tokens of a one-line (or multi-line) snippet, flattened. */
async function tokensOf(source: string): Promise<Token[]> {
  return (await tokenize(source)).flat();
}

/** The first token whose text is exactly `text` (after `from` matches). */
function find(tokens: Token[], text: string, occurrence = 1): Token {
  let seen = 0;
  for (const token of tokens) {
    if (token.text === text && ++seen === occurrence) return token;
  }
  throw new Error(
    `no token ${JSON.stringify(text)} (#${occurrence}) in:\n` +
      tokens.map((t) => `  ${JSON.stringify(t.text)} -> ${t.scopes.join(' ')}`).join('\n'),
  );
}

function hasScope(token: Token, prefix: string): boolean {
  return token.scopes.some((scope) => scope === prefix || scope.startsWith(prefix + '.'));
}

function expectScope(token: Token, prefix: string): void {
  expect(token.scopes, `${JSON.stringify(token.text)} should have ${prefix}`).toSatisfy((scopes: string[]) =>
    scopes.some((scope) => scope === prefix || scope.startsWith(prefix + '.')),
  );
}

function expectNoScope(token: Token, prefix: string): void {
  expect(token.scopes, `${JSON.stringify(token.text)} should not have ${prefix}`).toSatisfy(
    (scopes: string[]) => !scopes.some((scope) => scope === prefix || scope.startsWith(prefix + '.')),
  );
}

const samples = fs
  .readdirSync(samplesDir)
  .filter((name) => name.endsWith('.pgsql'))
  .sort();

describe('pgsql grammar: snapshots', () => {
  it('has samples', () => {
    expect(samples.length).toBeGreaterThanOrEqual(6);
  });

  for (const sample of samples) {
    it(sample, async () => {
      const source = fs.readFileSync(path.join(samplesDir, sample), 'utf8').replace(/\n$/, '');
      const text = render(source, await tokenize(source));
      await expect(text).toMatchFileSnapshot(`./__snapshots__/${sample.replace(/\.pgsql$/, '')}.snap`);
    });
  }
});

describe('pgsql grammar: key constructs', () => {
  it('keeps a nested block comment open after the inner */', async () => {
    const tokens = await tokensOf('/* outer /* inner */ still outer */ SELECT 1;');
    expectScope(find(tokens, ' still outer '), 'comment.block');
    // the comment scope is nested twice inside the inner comment
    const inner = find(tokens, ' inner ');
    expect(inner.scopes.filter((s) => s.startsWith('comment.block')).length).toBe(2);
    const select = find(tokens, 'SELECT');
    expectNoScope(select, 'comment');
    expectScope(select, 'keyword.other.DML');
  });

  it('keeps a nested block comment open across lines', async () => {
    const lines = await tokenize(['/* a', '/* b */', 'c */', 'SELECT 1;'].join('\n'));
    expectScope(find(lines[2], 'c '), 'comment.block');
    expectNoScope(find(lines[3], 'SELECT'), 'comment');
  });

  it('ends a $fn$ body only at $fn$, not at $$', async () => {
    const lines = await tokenize(
      [
        'CREATE FUNCTION f() RETURNS text AS $fn$',
        'BEGIN',
        "  RETURN $$inner $$ || 'x';",
        'END',
        '$fn$ LANGUAGE plpgsql;',
        'SELECT 1;',
      ].join('\n'),
    );
    expectScope(find(lines[0], '$fn$'), 'punctuation.section.embedded.begin');
    expectScope(find(lines[1], 'BEGIN'), 'meta.embedded.block.plpgsql');
    expectScope(find(lines[1], 'BEGIN'), 'keyword.control');
    // `$$inner $$` is a string literal inside the body
    const inner = find(lines[2], 'inner ');
    expectScope(inner, 'string.quoted.dollar');
    expectScope(inner, 'meta.embedded.block.plpgsql');
    // still inside the body after the `$$ ... $$` pair
    expectScope(find(lines[2], 'x'), 'meta.embedded.block.plpgsql');
    expectScope(find(lines[3], 'END'), 'meta.embedded.block.plpgsql');
    const close = find(lines[4], '$fn$');
    expectScope(close, 'punctuation.section.embedded.end');
    expectNoScope(close, 'meta.embedded.block.plpgsql');
    const language = find(lines[4], 'LANGUAGE');
    expectNoScope(language, 'meta.embedded');
    expectScope(language, 'keyword.other.DDL');
    expect(find(lines[5], 'SELECT').scopes).toEqual(['keyword.other.DML.pgsql']);
  });

  it('ends a $fn$ body at $fn$ even when $$ appears alone inside a comment', async () => {
    const lines = await tokenize(['DO $fn$', 'BEGIN -- $$', 'END $fn$;', 'SELECT 1;'].join('\n'));
    expectScope(find(lines[1], ' $$'), 'comment.line');
    expectScope(find(lines[2], 'END'), 'meta.embedded.block.plpgsql');
    expectNoScope(find(lines[3], 'SELECT'), 'meta.do-block');
  });

  it('scopes DO bodies as embedded PL/pgSQL, but not ON CONFLICT ... DO', async () => {
    const lines = await tokenize(
      ['DO $$ BEGIN PERFORM 1; END $$;', 'INSERT INTO t VALUES (1) ON CONFLICT (id) DO', "  UPDATE SET v = $$x$$;"].join('\n'),
    );
    expectScope(find(lines[0], 'PERFORM'), 'meta.embedded.block.plpgsql');
    expectScope(find(lines[0], 'PERFORM'), 'keyword.control');
    expectNoScope(find(lines[1], 'DO'), 'meta.do-block');
    expectScope(find(lines[2], 'x'), 'string.quoted.dollar');
    expectNoScope(find(lines[2], 'x'), 'meta.embedded');
  });

  it('scopes a dollar-quoted literal outside function bodies as a string', async () => {
    const tokens = await tokensOf("SELECT $q$it's$q$, $$x$$;");
    expectScope(find(tokens, "it's"), 'string.quoted.dollar');
    expectNoScope(find(tokens, "it's"), 'meta.embedded');
    expectScope(find(tokens, 'x'), 'string.quoted.dollar');
  });

  it('scopes the type after :: as storage.type', async () => {
    const tokens = await tokensOf(
      'SELECT a::timestamptz, b::varchar(10), c::int[], d::public.mood, e::double precision;',
    );
    expectScope(find(tokens, '::'), 'keyword.operator.cast');
    for (const type of ['timestamptz', 'varchar', 'int', 'public.mood', 'double precision']) {
      expectScope(find(tokens, type), 'storage.type');
    }
    expectScope(find(tokens, '[]'), 'storage.modifier.array');
    expectScope(find(tokens, '10'), 'constant.numeric');
  });

  it('scopes backslash escapes in E strings', async () => {
    const tokens = await tokensOf("SELECT E'a\\nb\\'c', 'd\\ne';");
    expectScope(find(tokens, 'E'), 'storage.type.string');
    const newline = find(tokens, '\\n');
    expectScope(newline, 'constant.character.escape');
    expectScope(newline, 'string.quoted.single');
    expectScope(find(tokens, "\\'"), 'constant.character.escape');
    // standard-conforming strings: no escapes in a plain literal
    const plain = find(tokens, 'd\\ne');
    expectScope(plain, 'string.quoted.single');
    expectNoScope(plain, 'constant.character.escape');
  });

  it("scopes '' inside a string as an escape, not as the end", async () => {
    const tokens = await tokensOf("SELECT 'it''s', 1;");
    expectScope(find(tokens, "''"), 'constant.character.escape');
    expectScope(find(tokens, 's'), 'string.quoted.single');
    expectScope(find(tokens, '1'), 'constant.numeric');
  });

  it('scopes psql meta-command lines as psql', async () => {
    const lines = await tokenize(['\\set limit 10', '\\i migrations/001.sql', '\\.', 'SELECT :limit;'].join('\n'));
    const set = find(lines[0], '\\set');
    expectScope(set, 'meta.preprocessor.psql');
    expectScope(set, 'keyword.other.psql');
    expectScope(find(lines[0], 'limit'), 'variable.other.psql');
    expectScope(find(lines[1], '\\i'), 'keyword.other.psql');
    expectScope(find(lines[1], ' migrations/001.sql'), 'meta.preprocessor.psql');
    expectScope(find(lines[2], '\\.'), 'keyword.other.psql');
    expectNoScope(find(lines[3], 'SELECT'), 'meta.preprocessor');
    expectScope(find(lines[3], 'limit'), 'variable.other.psql');
  });

  it('scopes psql variables in all three forms', async () => {
    const tokens = await tokensOf(`SELECT :v, :'v', :"v", x::int;`);
    expect(tokens.filter((t) => hasScope(t, 'variable.other.psql')).map((t) => t.text).join('')).toBe(
      `:v:'v':"v"`,
    );
    expectNoScope(find(tokens, 'int'), 'variable.other.psql');
  });

  it('keeps a quoted identifier with "" inside as one identifier token', async () => {
    const tokens = await tokensOf('SELECT "a ""quoted"" name", b FROM t;');
    const ident = find(tokens, '"a ""quoted"" name"');
    expect(ident.scopes).toEqual(['variable.other.quoted.pgsql']);
    expectScope(find(tokens, 'FROM'), 'keyword.other.DML');
  });

  it('scopes JSON and array operators', async () => {
    const tokens = await tokensOf("SELECT d->'a', d->>'a', d#>'{a}', d#>>'{a}', d @> x, x <@ d, d ? 'k', d ?| a, d ?& a, a || b, a && b;");
    for (const op of ['->', '->>', '#>', '#>>', '@>', '<@', '?', '?|', '?&']) {
      expectScope(find(tokens, op), 'keyword.operator.json');
    }
    expectScope(find(tokens, '||'), 'keyword.operator.concatenator');
    expectScope(find(tokens, '&&'), 'keyword.operator');
  });

  it('scopes positional parameters, bit strings and unicode strings', async () => {
    const tokens = await tokensOf(`SELECT $1, B'1010', X'FF', U&'d\\0061t', U&"d\\0061t";`);
    expectScope(find(tokens, '$1'), 'variable.parameter.positional');
    expectScope(find(tokens, '1010'), 'string.quoted.single.bit-string');
    expectScope(find(tokens, 'FF'), 'string.quoted.single.bit-string');
    expectScope(find(tokens, '\\0061'), 'constant.character.escape');
    expectScope(find(tokens, '\\0061', 2), 'variable.other.quoted.unicode');
  });

  it('treats COPY ... FROM stdin data as data up to \\.', async () => {
    const lines = await tokenize(['COPY t (a, b) FROM stdin;', '1\tselect', '\\.', 'SELECT 1;'].join('\n'));
    expectScope(find(lines[1], '1\tselect'), 'string.unquoted.copy-data');
    expectScope(find(lines[2], '\\.'), 'keyword.other.psql');
    expectScope(find(lines[3], 'SELECT'), 'keyword.other.DML');
  });

  it('has a language configuration for comments, $$, regions and identifiers', () => {
    const config = JSON.parse(fs.readFileSync(path.join(syntaxesDir, 'language-configuration.json'), 'utf8')) as {
      comments: { lineComment: string; blockComment: [string, string] };
      autoClosingPairs: { open: string; close: string }[];
      folding: { markers: { start: string; end: string } };
      wordPattern: string;
    };
    expect(config.comments).toEqual({ lineComment: '--', blockComment: ['/*', '*/'] });
    expect(config.autoClosingPairs.map((pair) => pair.open)).toEqual(expect.arrayContaining(["'", '"', '$$', '(']));
    const start = new RegExp(config.folding.markers.start);
    const end = new RegExp(config.folding.markers.end);
    expect(['-- region Setup', '  --#region x'].every((line) => start.test(line))).toBe(true);
    expect(['-- endregion', '--#endregion'].every((line) => end.test(line))).toBe(true);
    expect(start.test('-- endregion') || end.test('-- region')).toBe(false);
    const words = 'select my_col$1, $2 from "T"'.match(new RegExp(config.wordPattern, 'g'));
    expect(words).toEqual(['select', 'my_col$1', '$2', 'from', 'T']);
  });

  it('has a JSON grammar in sync with the YAML source', () => {
    const fromYaml = JSON.stringify(yaml.load(fs.readFileSync(grammarYamlPath, 'utf8')), null, 2) + '\n';
    const committed = fs.readFileSync(grammarJsonPath, 'utf8');
    expect(committed, 'run `npm run build:grammar` after editing the YAML').toBe(fromYaml);
  });

  it('compiles every regular expression of the grammar', async () => {
    await loadOnigLib();
    const raw: unknown = JSON.parse(fs.readFileSync(grammarJsonPath, 'utf8'));
    const failures: string[] = [];
    const visit = (node: unknown, where: string): void => {
      if (Array.isArray(node)) {
        node.forEach((child, i) => visit(child, `${where}[${i}]`));
        return;
      }
      if (node === null || typeof node !== 'object') return;
      for (const [key, value] of Object.entries(node)) {
        if ((key === 'match' || key === 'begin' || key === 'end' || key === 'while') && typeof value === 'string') {
          // back-references in `end` are filled in from `begin` at run time
          const source = key === 'end' || key === 'while' ? value.replace(/\\(\d+)/g, 'x') : value;
          try {
            new oniguruma.OnigScanner([source]).dispose();
          } catch (error) {
            failures.push(`${where}.${key}: ${String(error)}`);
          }
        } else {
          visit(value, `${where}.${key}`);
        }
      }
    };
    visit(raw, '$');
    expect(failures).toEqual([]);
  });
});
