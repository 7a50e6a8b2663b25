/**
 * Names with quotes, unicode, HTML metacharacters and control characters in every text format of the
 * diagram: the SVG and the DOT labels parse as XML and give the names back, the HTML's data block
 * cannot close its script element, Mermaid's quoted labels hold no raw quote and decode to the name.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { ErdModel } from '../../protocol/erd';
import { ERD_DATA_ELEMENT_ID } from '../../protocol/erd';
import { boxesOf } from '../../protocol/erd-diagram/geometry';
import { erdHtml } from '../../server/src/erd/html';
import { renderSvg } from '../../protocol/erd-diagram/svg';
import { toDot, toMermaid } from '../../server/src/erd/text-formats';

const HOSTILE = ['Tåble <&> "x"', "it's </script><script>alert(1)</script>", 'ünïcødé 表 🐘', 'a]b[c{d}e|f#g;h', 'back\\slash'];
const SCHEMA = 'Odd "Schema" <b>';

function hostileModel(): ErdModel {
  const tables = HOSTILE.map((name, index) => ({
    schema: index === 0 ? SCHEMA : 'public',
    name,
    kind: 'table' as const,
    columns: [
      { name: `id ${name}`, type: 'integer', nullable: false, primaryKey: true },
      { name: `ref "${index}" <&>`, type: 'character varying(20)', nullable: true, foreignKey: true },
    ],
    primaryKey: [`id ${name}`],
    rlsEnabled: false,
    rlsForced: false,
    policies: 0,
    rowEstimate: -1,
  }));
  const relations = HOSTILE.slice(1).map((name, index) => ({
    name: `fk <${name}> "${index}"`,
    from: { schema: 'public', table: name, columns: [`ref "${index + 1}" <&>`] },
    to: { schema: SCHEMA, table: HOSTILE[0], columns: [`id ${HOSTILE[0]}`] },
    onDelete: 'cascade' as const,
    onUpdate: 'no action' as const,
    cardinality: 'many-to-one' as const,
    optional: true,
    toPrimaryKey: true,
    validated: true,
  }));
  return { source: 'pg', serverVersion: 'PostgreSQL 15', schemas: ['public', SCHEMA].sort(), tables, views: [], relations };
}

/** All text content of a parsed XML tree, flattened. */
function texts(node: unknown, out: string[] = []): string[] {
  if (typeof node === 'string') out.push(node);
  else if (Array.isArray(node)) for (const child of node) texts(child, out);
  else if (node && typeof node === 'object') for (const [key, value] of Object.entries(node)) if (key !== ':@') texts(value, out);
  return out;
}

describe('escaping of names in the diagram formats', () => {
  const model = hostileModel();

  it('SVG: well-formed XML whose text gives back every table and column name', () => {
    const boxes = boxesOf(model).map((box, index) => ({ ...box, x: index * 300, y: 0 }));
    const svg = renderSvg(model, boxes, { title: 'a <title> & "quotes"' });
    expect(XMLValidator.validate(svg)).toBe(true);
    const parsed = new XMLParser({ preserveOrder: true, ignoreAttributes: false, trimValues: false }).parse(svg);
    const content = texts(parsed).join('\n');
    for (const name of HOSTILE) {
      expect(content).toContain(name);
      expect(content).toContain(`id ${name}`);
    }
    expect(svg).not.toMatch(/<script/i);
  });

  it('SVG: characters XML cannot hold are dropped, not written', () => {
    const broken = hostileModel();
    broken.tables[0].name = 'bell\u0007 and \ud800 lone surrogate';
    const svg = renderSvg(broken, boxesOf(broken));
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toContain('bell and  lone surrogate');
  });

  it('HTML: the model sits in a data block that no name can close, and reads back unchanged', () => {
    const html = erdHtml(model, { script: 'console.log("</script>")', css: 'body{}', theme: 'dark', title: '<b>"title"</b> & more' });
    const start = html.indexOf(`<script type="application/json" id="${ERD_DATA_ELEMENT_ID}">`);
    const bodyStart = html.indexOf('>', start) + 1;
    const bodyEnd = html.indexOf('</script>', bodyStart);
    const data = html.slice(bodyStart, bodyEnd);
    expect(data).not.toMatch(/[<>]/);
    expect((JSON.parse(data) as { model: ErdModel }).model).toEqual(model);
    expect(html).toContain('<title>&lt;b&gt;&quot;title&quot;&lt;/b&gt; &amp; more</title>');
    // The inlined script's own `</script>` is broken up too.
    expect(html.match(/<\/script>/g)).toHaveLength(2);
  });

  it('Mermaid: labels hold no raw quote or bracket and decode to the names', () => {
    const mermaid = toMermaid(model);
    const labels = [...mermaid.matchAll(/^ {2}(e\d+)\["([^"\n]*)"\]/gm)].map((match) => match[2]);
    expect(labels).toHaveLength(HOSTILE.length);
    const decode = (text: string): string => text.replace(/#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)));
    // Two schemas: every box is named schema.name.
    const expected = model.tables.map((table) => `${table.schema}.${table.name}`);
    expect(labels.map(decode).sort()).toEqual(expected.sort());
    // Attribute lines are words Mermaid accepts; the real name follows as a quoted comment.
    for (const line of mermaid.split('\n').filter((candidate) => candidate.startsWith('    '))) {
      expect(line).toMatch(/^ {4}[A-Za-z_][\w\-[\]()]* [A-Za-z_][\w\-[\]()]*( (PK|FK|UK)(, (PK|FK|UK))*)?( "[^"\n]*")?$/);
    }
    for (const line of mermaid.split('\n').filter((candidate) => candidate.includes(' : '))) expect(line).toMatch(/ : "[^"]*"$/);
  });

  it('DOT: quoted ids unescape to the keys and HTML-like labels are well-formed XML', () => {
    const dot = toDot(model);
    const quoted = [...dot.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((match) => match[1].replace(/\\(.)/g, '$1'));
    for (const table of model.tables) expect(quoted).toContain(`${table.schema}.${table.name}`);
    const labels = [...dot.matchAll(/label=<(.*)>\];$/gm)].map((match) => match[1]);
    expect(labels).toHaveLength(HOSTILE.length);
    for (const label of labels) {
      expect(XMLValidator.validate(label)).toBe(true);
      const content = texts(new XMLParser({ preserveOrder: true, trimValues: false, ignoreAttributes: false }).parse(label)).join('');
      expect(HOSTILE.some((name) => content.includes(name))).toBe(true);
    }
  });
});
