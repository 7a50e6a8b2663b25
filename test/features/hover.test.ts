import { beforeAll, describe, expect, it } from 'vitest';
import { hoverAt, formatBytes, rowEstimate } from '../../server/src/features/hover';
import type { HoverInfo } from '../../server/src/features/hover';
import { analyzeDocument } from '../../server/src/document/analyze';
import { buildOrigins } from '../../server/src/schema/origins';
import { loadParser } from '../../server/src/sql/parser';
import { SNAPSHOT, analyzeAt } from './snapshot-fixture';

beforeAll(async () => {
  await loadParser();
});

/** Hover at the `|` of `source`, and the text its range covers. */
function hover(source: string): { info: HoverInfo; covered: string } {
  const { text, offset, analysis } = analyzeAt(source);
  const info = hoverAt(analysis, offset, SNAPSHOT);
  if (!info) throw new Error(`no hover in ${source}`);
  return { info, covered: text.slice(info.range.start, info.range.end) };
}

describe('hover on relations', () => {
  it('describes a table: columns, size, indexes, foreign keys in, RLS, comment', () => {
    const { info, covered } = hover('SELECT 1;\nSELECT * FROM us|ers;');
    expect(covered).toBe('users');
    const md = info.markdown;
    expect(md.startsWith('**table** public.users')).toBe(true);
    expect(md).toContain('| column | type | nullable | default |');
    expect(md).toContain('| email | text | not null |  |');
    expect(md).toContain('| id | bigint | not null | identity always |');
    expect(md).toContain("| mood | public.mood | null | 'ok'::mood |");
    expect(md).toContain('~1.2M rows · 8.0 kB · RLS on (forced) · 2 policies');
    expect(md).toContain('`CREATE UNIQUE INDEX users_email_key ON public.users USING btree (email)`');
    expect(md).toContain('**Referenced by**\n\n- `public.orders(user_id)`');
    expect(md).toContain('People who log in');
  });

  it('resolves a schema-qualified table, and the schema part on its own', () => {
    const { info, covered } = hover('SELECT * FROM public.ord|ers o WHERE o.id = 1');
    expect(covered).toBe('orders');
    expect(info.markdown.startsWith('**table** public.orders')).toBe(true);
    expect(info.markdown).toContain('never analyzed · 1.3 GB · RLS off');
    expect(info.markdown).toContain('`user_id → public.users(id) ON DELETE CASCADE`');

    const schema = hover('SELECT * FROM pub|lic.orders');
    expect(schema.covered).toBe('public');
    expect(schema.info.markdown).toContain('**schema** public');
  });

  it('says when sizes are the planner’s estimates', () => {
    const { offset, analysis } = analyzeAt('SELECT * FROM us|ers');
    expect(hoverAt(analysis, offset, { ...SNAPSHOT, sizesEstimated: true })?.markdown).toContain('~1.2M rows · 8.0 kB (estimated) · RLS on');
  });

  it('shows a view with its columns and definition', () => {
    const { info } = hover('SELECT * FROM active_u|sers');
    expect(info.markdown.startsWith('**view** public.active_users')).toBe(true);
    expect(info.markdown).toContain('| email | text |');
    expect(info.markdown).toContain('```sql\nSELECT users.id,');
  });

  it('resolves an alias in FROM to its table', () => {
    const { info, covered } = hover('SELECT o|.id FROM orders o');
    expect(covered).toBe('o');
    expect(info.markdown.startsWith('**table** public.orders')).toBe(true);
  });

  it('quotes names that need it and says where the table was created', () => {
    const migration = 'CREATE TABLE "Order" (id integer PRIMARY KEY, "user" text, "Total" numeric);';
    const origins = buildOrigins([{ path: 'migrations/0003_order.sql', analysis: analyzeDocument(migration) }]);
    const { text, offset, analysis } = analyzeAt('SELECT * FROM "Ord|er"');
    const info = hoverAt(analysis, offset, SNAPSHOT, origins);
    expect(info?.markdown.startsWith('**table** public."Order"')).toBe(true);
    expect(info?.markdown).toContain('created in `migrations/0003_order.sql`');
    expect(text.slice(info?.range.start, info?.range.end)).toBe('"Order"');
  });
});

describe('hover on columns', () => {
  it('resolves alias.column', () => {
    const { info, covered } = hover('SELECT o.to|tal FROM orders o JOIN users u ON u.id = o.user_id');
    expect(covered).toBe('total');
    expect(info.markdown).toBe('**column** public.orders.total\n\n`numeric(12,2)` · NOT NULL · default `0`');
  });

  it('resolves a bare column in WHERE against the tables of FROM and JOIN', () => {
    const { info } = hover("SELECT o.id FROM orders o JOIN users u ON u.id = o.user_id WHERE em|ail = 'x'");
    const md = info.markdown;
    expect(md.startsWith('**column** public.users.email')).toBe(true);
    expect(md).toContain('`text` · NOT NULL');
    expect(md).toContain('Login address');
    expect(md).toContain('`users_email_key` (unique)');
  });

  it('shows the foreign key a column belongs to', () => {
    const { info } = hover('SELECT user_i|d FROM orders');
    expect(info.markdown).toContain('**Foreign key**\n\n- `user_id → public.users(id) ON DELETE CASCADE` (`orders_user_id_fkey`)');
    expect(info.markdown).toContain('`orders_user_id_idx`');
  });

  it('resolves the target of UPDATE … SET and the columns of its expressions', () => {
    expect(hover("UPDATE users SET na|me = 'x' WHERE id = 1").info.markdown).toBe('**column** public.users.name\n\n`text` · nullable');
    expect(hover('UPDATE users u SET name = u.em|ail').info.markdown.startsWith('**column** public.users.email')).toBe(true);
  });

  it('resolves column names of INSERT, CREATE INDEX and ALTER TABLE … ALTER COLUMN', () => {
    expect(hover("INSERT INTO users (id, em|ail) VALUES (1, 'x')").info.markdown.startsWith('**column** public.users.email')).toBe(true);
    expect(hover('CREATE INDEX ON orders (sta|tus)').info.markdown.startsWith('**column** public.orders.status')).toBe(true);
    expect(hover('ALTER TABLE orders ALTER COLUMN tot|al SET DEFAULT 1').info.markdown.startsWith('**column** public.orders.total')).toBe(true);
  });

  it('shows identity and generated details', () => {
    expect(hover('SELECT i|d FROM users').info.markdown).toContain('generated always as identity');
  });

  it('falls back to token heuristics when the statement does not parse', () => {
    const { info } = hover('SELECT u.em|ail FROM users u WHERE');
    expect(info.markdown.startsWith('**column** public.users.email')).toBe(true);
  });

  it('converts offsets exactly around non-ASCII identifiers and emoji', () => {
    const source = "SELECT 1;\n-- 😀 noise\nSELECT '😀🎉', u.\"pré|nom\", \"名前\" FROM users u WHERE u.\"名前\" = '🎉';";
    const { info, covered } = hover(source);
    expect(covered).toBe('"prénom"');
    expect(info.markdown.startsWith('**column** public.users."prénom"')).toBe(true);
    expect(info.markdown).toContain('Given name');

    const second = hover("SELECT '😀🎉', u.\"prénom\", \"名|前\" FROM users u WHERE u.\"名前\" = '🎉';");
    expect(second.covered).toBe('"名前"');
    expect(second.info.markdown.startsWith('**column** public.users."名前"')).toBe(true);

    const third = hover("SELECT '😀🎉', \"名前\" FROM users u WHERE u.\"名|前\" = '🎉';");
    expect(third.covered).toBe('"名前"');
  });
});

describe('hover on functions and types', () => {
  it('lists every overload of a function', () => {
    const { info, covered } = hover('SELECT order_to|tal(1)');
    expect(covered).toBe('order_total');
    const md = info.markdown;
    expect(md.startsWith('**function** public.order_total (2 overloads)')).toBe(true);
    expect(md).toContain('order_total(order_id bigint) → numeric');
    expect(md).toContain('order_total(order_id bigint, with_tax boolean) → numeric');
    expect(md).toContain('language sql · stable');
    expect(md).toContain('language plpgsql · stable · **security definer** · set `search_path=public`');
    expect(md).toContain('Total of an order');
  });

  it('lists the values of an enum used in a cast', () => {
    const { info, covered } = hover("SELECT 'ok'::mo|od");
    expect(covered).toBe('mood');
    expect(info.markdown).toBe("**enum** public.mood\n\nValues: `'sad'`, `'ok'`, `'happy'`\n\nHow a user feels");
  });

  it('describes a domain: base type and checks', () => {
    const { info } = hover("SELECT 'a@b'::app.ema|il");
    expect(info.markdown).toContain('**domain** app.email');
    expect(info.markdown).toContain('over `text` · NOT NULL');
    expect(info.markdown).toContain("`CHECK (VALUE ~ '^[^@]+@[^@]+$'::text)`");
  });

  it('resolves a type in a column definition', () => {
    expect(hover('CREATE TABLE t (m mo|od)').info.markdown.startsWith('**enum** public.mood')).toBe(true);
  });
});

describe('no hover', () => {
  it('returns null outside names, on keywords, on unknown names and inside strings', () => {
    for (const source of ['SEL|ECT 1', 'SELECT * FROM nowh|ere', "SELECT 'us|ers'", 'SELECT 1 |', '-- users|\nSELECT 1', 'WITH x AS (SELECT 1) SELECT * FROM |x']) {
      const { offset, analysis } = analyzeAt(source);
      expect(hoverAt(analysis, offset, SNAPSHOT), source).toBeNull();
    }
  });
});

describe('formats', () => {
  it('formats row estimates and sizes', () => {
    expect(rowEstimate(-1)).toBe('never analyzed');
    expect(rowEstimate(0)).toBe('~0 rows');
    expect(rowEstimate(1)).toBe('~1 row');
    expect(rowEstimate(980)).toBe('~980 rows');
    expect(rowEstimate(1_234_567)).toBe('~1.2M rows');
    expect(rowEstimate(3_000_000_000)).toBe('~3B rows');
    expect(formatBytes(512)).toBe('512 bytes');
    expect(formatBytes(8192)).toBe('8.0 kB');
    expect(formatBytes(1_395_864_371)).toBe('1.3 GB');
  });
});
