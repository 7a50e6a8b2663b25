/**
 * Whether EXPLAIN ANALYZE of a statement provably only reads, so that it may run without asking. The
 * parse tree says what the statement calls and reads; the live catalog says what those are. Proven
 * only for a plain SELECT (no INTO, no FOR UPDATE/SHARE, no data-modifying CTE) whose functions,
 * operators and casts are all built in (OID below FirstNormalObjectId) and not volatile, reading
 * tables, materialized views, sequences and built-in views without row-level security or foreign
 * partitions. Anything else (a user-defined or volatile function, a user view, a foreign table) is not
 * proven and needs the user's confirmation. Type input/output and operator-class functions are not
 * checked: creating a base type or an operator class takes a superuser.
 */
import type { Node } from 'libpg-query';
import type { Database } from '../db/port';
import { quoteIdent } from '../sql/quote';
import { asArray, stringValue, unwrap } from '../sql/ast';
import type { Fields } from '../sql/ast';

/** What the parse tree says the statement calls and reads, for the catalog to judge. */
export interface ReadClaim {
  /** Why the statement is not a plain SELECT, when it is not. */
  notPlain?: string;
  /** Names of functions it may call: calls, `t.f` attribute notation, TABLESAMPLE methods. */
  functions: string[];
  operators: string[];
  /** Types it casts to: a cast to a domain runs the domain's CHECK expressions. */
  types: string[];
  /** Relations it reads, as quoted qualified (or bare) names for to_regclass. */
  relations: string[];
}

export type ReadOnlyProof = { proven: true } | { proven: false; reason: string };

const WRITING = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);
/** PostgreSQL's FirstNormalObjectId: OIDs below it belong to initdb's built-in objects. */
const FIRST_NORMAL_OBJECT_ID = 16384;

/** Pure: the claim the parse tree of one statement makes. */
export function readClaim(stmt: Node | undefined): ReadClaim {
  const claim: ReadClaim = { functions: [], operators: [], types: [], relations: [] };
  const top = unwrap(stmt);
  if (!top || top[0] !== 'SelectStmt') return { ...claim, notPlain: 'it is not a SELECT' };
  if (top[1].intoClause) return { ...claim, notPlain: 'SELECT INTO creates a table' };
  const cteNames = new Set<string>();
  const relations: Array<{ schema?: string; name: string }> = [];
  const names = (list: unknown): string[] => asArray(list).map(stringValue).filter((name): name is string => name !== undefined);
  const last = (list: unknown): string | undefined => names(list).at(-1);
  const add = (into: string[], name: string | undefined): void => {
    if (name !== undefined && !into.includes(name)) into.push(name);
  };

  const visit = (value: unknown): void => {
    if (claim.notPlain) return;
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (!value || typeof value !== 'object') return;
    for (const [key, child] of Object.entries(value as Fields)) {
      const fields = (child && typeof child === 'object' ? child : {}) as Fields;
      if (WRITING.has(key)) {
        claim.notPlain = 'it changes data (a data-modifying WITH query)';
        return;
      }
      if (key === 'lockingClause' && asArray(child).length > 0) {
        claim.notPlain = 'FOR UPDATE/SHARE locks rows';
        return;
      }
      if (key === 'FuncCall') add(claim.functions, last(fields.funcname));
      else if (key === 'RangeTableSample') add(claim.functions, last(fields.method));
      else if (key === 'ColumnRef' && asArray(fields.fields).length >= 2) add(claim.functions, last(fields.fields)); // t.f may call f(t)
      else if (key === 'A_Indirection') for (const name of names(fields.indirection)) add(claim.functions, name);
      else if (key === 'A_Expr') {
        add(claim.operators, last(fields.name));
        if (String(fields.kind).startsWith('AEXPR_BETWEEN')) for (const op of ['>=', '<=']) add(claim.operators, op);
      } else if (key === 'useOp' || key === 'operName') add(claim.operators, last(child));
      else if (key === 'typeName' || key === 'TypeName') add(claim.types, last(fields.names));
      else if (key === 'CommonTableExpr' && typeof fields.ctename === 'string') cteNames.add(fields.ctename);
      else if (key === 'RangeVar' && typeof fields.relname === 'string') {
        relations.push({ ...(typeof fields.schemaname === 'string' ? { schema: fields.schemaname } : {}), name: fields.relname });
      }
      visit(child);
    }
  };
  visit(top[1]);
  for (const relation of relations) {
    if (relation.schema === undefined && cteNames.has(relation.name)) continue;
    const name = relation.schema === undefined ? quoteIdent(relation.name) : `${quoteIdent(relation.schema)}.${quoteIdent(relation.name)}`;
    if (!claim.relations.includes(name)) claim.relations.push(name);
  }
  return claim;
}

/**
 * Checks the claim against the catalog of the database `tx` is connected to (inside the caller's
 * read-only transaction, before anything runs).
 */
export async function proveReadOnly(tx: Database, stmt: Node | undefined): Promise<ReadOnlyProof> {
  const claim = readClaim(stmt);
  if (claim.notPlain) return { proven: false, reason: claim.notPlain };
  const { rows } = await tx.query<{ functions: string[] | null; operators: string[] | null; types: string[] | null; relations: string[] | null }>(
    `SELECT
       (SELECT array_agg(DISTINCT p.proname || CASE WHEN p.oid >= $5 THEN ' (user-defined)' ELSE ' (volatile)' END ORDER BY p.proname || CASE WHEN p.oid >= $5 THEN ' (user-defined)' ELSE ' (volatile)' END)
          FROM pg_catalog.pg_proc p WHERE p.proname = ANY ($1::text[]) AND (p.oid >= $5 OR p.provolatile = 'v')) AS functions,
       (SELECT array_agg(DISTINCT o.oprname::text) FROM pg_catalog.pg_operator o LEFT JOIN pg_catalog.pg_proc p ON p.oid = o.oprcode
          WHERE o.oprname = ANY ($2::text[]) AND (o.oid >= $5 OR p.oid >= $5 OR p.provolatile = 'v')) AS operators,
       (SELECT array_agg(DISTINCT t.typname::text) FROM pg_catalog.pg_type t WHERE t.typname = ANY ($3::text[]) AND t.oid >= $5) AS types,
       (SELECT array_agg(r.name || ' (' || CASE
                 WHEN c.oid IS NULL THEN 'not found'
                 WHEN c.relkind = 'v' THEN 'a user view'
                 WHEN c.relkind = 'f' THEN 'a foreign table'
                 WHEN c.relrowsecurity THEN 'row-level security policies'
                 WHEN c.relkind NOT IN ('r', 'p', 'm', 'S') THEN 'relkind ' || c.relkind::text
                 ELSE 'a foreign partition or child table' END || ')' ORDER BY r.name)
          FROM unnest($4::text[]) AS r(name)
          LEFT JOIN pg_catalog.pg_class c ON c.oid = pg_catalog.to_regclass(r.name)
         WHERE c.oid IS NULL
            OR (c.relkind = 'v' AND c.oid >= $5)
            OR (c.relkind <> 'v' AND (c.relkind NOT IN ('r', 'p', 'm', 'S') OR c.relrowsecurity))
            OR EXISTS (WITH RECURSIVE descendant(oid) AS (
                         SELECT i.inhrelid FROM pg_catalog.pg_inherits i WHERE i.inhparent = c.oid
                         UNION SELECT i.inhrelid FROM pg_catalog.pg_inherits i JOIN descendant d ON i.inhparent = d.oid)
                       SELECT 1 FROM descendant d JOIN pg_catalog.pg_class k ON k.oid = d.oid WHERE k.relkind = 'f')) AS relations`,
    [claim.functions, claim.operators, claim.types, claim.relations, FIRST_NORMAL_OBJECT_ID],
  );
  const found = rows[0];
  const reasons = [
    found.functions?.length ? `it may call ${found.functions.join(', ')}` : undefined,
    found.operators?.length ? `it uses operator ${found.operators.join(', ')}, defined by a user or volatile` : undefined,
    found.types?.length ? `it casts to user-defined type ${found.types.join(', ')}` : undefined,
    found.relations?.length ? `it reads ${found.relations.join(', ')}` : undefined,
  ].filter((reason): reason is string => reason !== undefined);
  return reasons.length === 0 ? { proven: true } : { proven: false, reason: reasons.join('; ') };
}

/**
 * User-defined IMMUTABLE or STABLE functions (or operators built on them) the statement calls: the
 * planner may run these while planning, to fold constants or estimate selectivity, so even a plain
 * EXPLAIN would execute them, and pglens cannot see what they do (a dblink_exec inside one commits).
 */
export async function functionsThePlannerMayRun(tx: Database, stmt: Node | undefined): Promise<string[]> {
  const claim = readClaim(stmt);
  if (claim.functions.length === 0 && claim.operators.length === 0) return [];
  const { rows } = await tx.query<{ name: string }>(
    `SELECT DISTINCT p.proname::text || '()' AS name FROM pg_catalog.pg_proc p
      WHERE p.oid >= $3 AND p.provolatile <> 'v'
        AND (p.proname = ANY ($1::text[]) OR p.oid IN (SELECT o.oprcode FROM pg_catalog.pg_operator o WHERE o.oprname = ANY ($2::text[])))
      ORDER BY 1`,
    [claim.functions, claim.operators, FIRST_NORMAL_OBJECT_ID],
  );
  return rows.map((row) => row.name);
}
