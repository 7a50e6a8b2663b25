/** Deterministic generators of realistic SQL for the benchmark (no randomness: figures must be comparable run to run). */

const COLUMN_TYPES = ['bigint', 'text', 'timestamptz', 'numeric(12,2)', 'jsonb', 'uuid', 'boolean', 'integer'];

function table(n: number): string {
  const columns = Array.from({ length: 6 }, (_, k) => `  col_${k} ${COLUMN_TYPES[(n + k) % COLUMN_TYPES.length]}${k % 3 === 0 ? ' NOT NULL' : ''},`);
  return [
    `-- table ${n}: écritures, 中文, 😀`,
    `CREATE TABLE app.table_${n} (`,
    '  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,',
    ...columns,
    `  parent_id bigint REFERENCES app.table_${Math.max(0, n - 1)} (id) ON DELETE CASCADE,`,
    "  created_at timestamptz NOT NULL DEFAULT now()",
    ');',
    `CREATE INDEX table_${n}_parent_idx ON app.table_${n} (parent_id) WHERE parent_id IS NOT NULL;`,
    `COMMENT ON TABLE app.table_${n} IS 'Table n°${n} — généré';`,
    `INSERT INTO app.table_${n} (col_0, col_1) VALUES (${n}, 'x${n}'), (${n + 1}, 'y${n}') ON CONFLICT DO NOTHING;`,
    '',
  ].join('\n');
}

function fn(n: number): string {
  return [
    `CREATE OR REPLACE FUNCTION app.touch_${n}() RETURNS trigger LANGUAGE plpgsql AS $$`,
    'BEGIN',
    '  NEW.created_at := now();',
    `  IF NEW.col_0 IS NULL THEN RAISE EXCEPTION 'col_0 missing in %', TG_TABLE_NAME; END IF;`,
    '  RETURN NEW;',
    'END',
    '$$;',
    `CREATE TRIGGER touch_${n} BEFORE UPDATE ON app.table_${n} FOR EACH ROW EXECUTE FUNCTION app.touch_${n}();`,
    '',
  ].join('\n');
}

function query(n: number): string {
  return [
    `WITH recent AS (SELECT id, col_0, row_number() OVER (PARTITION BY parent_id ORDER BY created_at DESC) AS rn FROM app.table_${n})`,
    `SELECT r.id, r.col_0, count(*) FILTER (WHERE r.rn <= 3) AS top3 FROM recent r JOIN app.table_${n} t ON t.id = r.id`,
    `WHERE t.created_at > now() - interval '7 days' GROUP BY r.id, r.col_0 ORDER BY top3 DESC LIMIT 50;`,
    '',
  ].join('\n');
}

/** A migration of about `lines` lines mixing DDL, PL/pgSQL and queries. */
export function generateMigration(lines: number): string {
  const parts: string[] = ['CREATE SCHEMA IF NOT EXISTS app;', ''];
  let count = 2;
  for (let n = 0; count < lines; n++) {
    const part = n % 4 === 3 ? fn(n) : n % 4 === 2 ? query(n) : table(n);
    parts.push(part);
    count += part.split('\n').length - 1;
  }
  return parts.join('\n');
}
