import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from './client';

describe('language server over stdio', () => {
  let client: TestClient;
  let capabilities: Awaited<ReturnType<typeof TestClient.start>>['initialize']['capabilities'];

  beforeAll(async () => {
    const started = await TestClient.start();
    client = started.client;
    capabilities = started.initialize.capabilities;
  });

  afterAll(async () => {
    await client?.stop();
  });

  it('announces pull diagnostics, symbols and folding', () => {
    expect(capabilities.diagnosticProvider).toMatchObject({ interFileDependencies: true });
    expect(capabilities.documentSymbolProvider).toBeTruthy();
    expect(capabilities.foldingRangeProvider).toBe(true);
  });

  it('pulls syntax diagnostics at the exact token', async () => {
    await client.open('file:///w/a.sql', 'select 1;\n-- 中文 😀\nselect 😀 fro t;\n');
    const diagnostics = await client.diagnostics('file:///w/a.sql');
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({
      message: 'syntax error at or near "t"',
      code: 'syntax',
      source: 'pglens',
      severity: 1,
      // 😀 is one code point but two UTF-16 units: PostgreSQL's cursor is 13, VS Code's column 14.
      range: { start: { line: 2, character: 14 }, end: { line: 2, character: 15 } },
    });
  });

  it('updates diagnostics after an incremental edit', async () => {
    await client.open('file:///w/b.sql', 'selec 1;\nselect 2;\n');
    expect(await client.diagnostics('file:///w/b.sql')).toHaveLength(1);
    await client.change('file:///w/b.sql', [{ range: { start: { line: 0, character: 5 }, end: { line: 0, character: 5 } }, text: 't' }]);
    expect(await client.diagnostics('file:///w/b.sql')).toEqual([]);
    await client.change('file:///w/b.sql', [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 6 } }, text: 'delete from' }]);
    const [diagnostic] = await client.diagnostics('file:///w/b.sql');
    expect(diagnostic.range.start).toEqual({ line: 1, character: 12 });
  });

  it('serves the postgres language id too, and the outline and folding', async () => {
    const text = 'create table public.users (\n  id bigint primary key\n);\ncreate index users_id on public.users (id);\nselect 1;\n';
    await client.open('file:///w/c.pgsql', text, 'postgres');
    const symbols = await client.symbols('file:///w/c.pgsql');
    expect(symbols.map((symbol) => symbol.name)).toEqual(['CREATE TABLE public.users', 'CREATE INDEX users_id ON public.users', 'SELECT']);
    expect(symbols[0].range).toEqual({ start: { line: 0, character: 0 }, end: { line: 2, character: 2 } });
    const folds = await client.folding('file:///w/c.pgsql');
    expect(folds).toContainEqual({ startLine: 0, endLine: 2 });
  });

  it('honours pglens.enable per document', async () => {
    client.settings = { enable: false };
    await client.open('file:///w/disabled.sql', 'selec 1;');
    expect(await client.diagnostics('file:///w/disabled.sql')).toEqual([]);
    client.settings = {};
  });

  it('answers a 20 MB document with one message and keeps serving others', async () => {
    await client.open('file:///w/huge.sql', 'select 1;\n'.repeat(2_100_000));
    const [diagnostic] = await client.diagnostics('file:///w/huge.sql');
    expect(diagnostic.message).toMatch(/File not checked: .* over the 10\.0 MB limit/);
    await client.open('file:///w/binary.sql', '\u0000\u0001\u0002ELF');
    expect((await client.diagnostics('file:///w/binary.sql'))[0].message).toMatch(/NUL byte/);
    await client.open('file:///w/deep.sql', `select ${'('.repeat(10000)}1${')'.repeat(10000)};`);
    expect((await client.diagnostics('file:///w/deep.sql'))[0].severity).toBe(1);
    await client.open('file:///w/invalid-utf8.sql', 'select \ufffd\ufffd fro t;');
    expect(await client.diagnostics('file:///w/invalid-utf8.sql')).toHaveLength(1);
    expect(await client.diagnostics('file:///w/a.sql')).toHaveLength(1);
    expect(client.alive).toBe(true);
  });

  it('answers requests for unknown documents with nothing', async () => {
    expect(await client.diagnostics('file:///w/never-opened.sql')).toEqual([]);
  });
});
