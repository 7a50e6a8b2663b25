/**
 * The safety fixture for EXPLAIN: a schema whose state can be summed up in one checksum (catalog,
 * every row, every sequence), and statements with side effects that EXPLAIN must never let through.
 */
import type { Database } from '../../server/src/db/port';
import { quoteIdent } from '../../server/src/sql/quote';

export function safetySetup(schema: string): string {
  const s = quoteIdent(schema);
  return `
CREATE SCHEMA ${s};
CREATE TABLE ${s}.items (id bigserial PRIMARY KEY, name text NOT NULL, price numeric NOT NULL DEFAULT 0);
CREATE TABLE ${s}.audit (id bigserial PRIMARY KEY, note text);
INSERT INTO ${s}.items (name, price) SELECT 'item ' || g, g FROM generate_series(1, 500) g;
CREATE FUNCTION ${s}.touch() RETURNS integer LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  INSERT INTO ${s}.audit (note) VALUES ('touched');
  UPDATE ${s}.items SET price = price + 1;
  RETURN 1;
END $$;
CREATE PROCEDURE ${s}.wipe() LANGUAGE sql AS $$ DELETE FROM ${s}.items $$;
ANALYZE ${s}.items;
`;
}

/** Statements with side effects, each qualified with the fixture's schema. */
export function sideEffectStatements(schema: string): string[] {
  const s = quoteIdent(schema);
  return [
    `SELECT * FROM ${s}.items; DROP TABLE ${s}.items`,
    `SELECT 1; DELETE FROM ${s}.items`,
    `DROP TABLE ${s}.items`,
    `SELECT nextval('${schema}.items_id_seq')`,
    `SELECT ${s}.touch()`,
    `SELECT * FROM ${s}.items WHERE ${s}.touch() = 1`,
    `INSERT INTO ${s}.items (name) VALUES ('new') RETURNING id`,
    `UPDATE ${s}.items SET price = 0`,
    `DELETE FROM ${s}.items WHERE id < 100`,
    `WITH gone AS (DELETE FROM ${s}.items RETURNING *) SELECT count(*) FROM gone`,
    `CREATE TABLE ${s}.copy AS SELECT * FROM ${s}.items`,
    `SELECT * INTO ${s}.copy2 FROM ${s}.items`,
    `CALL ${s}.wipe()`,
    `COPY ${s}.items TO STDOUT`,
    `DO $$ BEGIN DELETE FROM ${s}.items; END $$`,
    `TRUNCATE ${s}.items`,
    `SELECT * FROM ${s}.items FOR UPDATE`,
    `SELECT $1::int + 1`,
    `UPDATE ${s}.items SET price = $1 WHERE id = $2`,
    // Last: in a file, the lines after COPY … FROM STDIN are its data.
    `COPY ${s}.items FROM STDIN`,
  ];
}

/** One hash of the schema's catalog entries, every row of its tables and its sequences' positions. */
export async function databaseChecksum(db: Database, schema: string): Promise<string> {
  const parts: string[] = [];
  const catalog = await db.query<{ summary: string }>(
    `SELECT coalesce(string_agg(c.relname || ':' || c.relkind::text || ':' || c.relnatts, ',' ORDER BY c.relname), '') AS summary
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1`,
    [schema],
  );
  parts.push(catalog.rows[0].summary);
  const functions = await db.query<{ summary: string }>(
    `SELECT coalesce(string_agg(p.proname || ':' || md5(p.prosrc), ',' ORDER BY p.proname), '') AS summary
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1`,
    [schema],
  );
  parts.push(functions.rows[0].summary);
  const relations = await db.query<{ relname: string; relkind: string }>(
    `SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'S') ORDER BY c.relname`,
    [schema],
  );
  for (const { relname, relkind } of relations.rows) {
    const name = `${quoteIdent(schema)}.${quoteIdent(relname)}`;
    const sql = relkind === 'S' ? `SELECT last_value || ':' || is_called AS h FROM ${name}` : `SELECT coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '') AS h FROM ${name} t`;
    const { rows } = await db.query<{ h: string }>(sql);
    parts.push(`${relname}=${rows[0].h}`);
  }
  return parts.join('|');
}
