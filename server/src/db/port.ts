/**
 * The database port: every SQL access in pglens goes through this interface, so every feature runs
 * on a real server (`pg` adapter) and on the embedded PostgreSQL (PGlite adapter) alike.
 */

export interface QueryResult<Row = Record<string, unknown>> {
  rows: Row[];
  /** Number of rows affected or returned, when the server says. */
  rowCount?: number;
}

/** A PostgreSQL error as both drivers report it (fields of the ErrorResponse message). */
export interface DatabaseError {
  /** SQLSTATE, e.g. `42P01`. */
  code: string;
  message: string;
  detail?: string;
  hint?: string;
  /** 1-based character position in the statement, as a string or number depending on the driver. */
  position?: number;
  /** Position inside `internalQuery` (e.g. a SQL function body). */
  internalPosition?: number;
  internalQuery?: string;
  where?: string;
  schema?: string;
  table?: string;
  column?: string;
  dataType?: string;
  constraint?: string;
}

export interface Database {
  /** `pg` for a real server, `pglite` for the embedded one. */
  readonly kind: 'pg' | 'pglite';
  /** Runs one statement (with parameters) and returns its rows. */
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<Row>>;
  /** Runs a script of several statements without parameters (simple protocol); returns nothing. */
  exec(sql: string): Promise<void>;
  /**
   * Runs `work` inside `BEGIN READ ONLY` … `ROLLBACK`: nothing it does can persist, whatever happens.
   */
  readOnly<T>(work: (db: Database) => Promise<T>): Promise<T>;
  /**
   * Runs `work` inside a read-write `BEGIN` … `ROLLBACK`: for EXPLAIN ANALYZE of a data-modifying
   * statement the user confirmed. Its changes never persist (sequence values it consumes do).
   */
  rolledBack<T>(work: (db: Database) => Promise<T>): Promise<T>;
  /** Cancels the statement in progress, if any (best effort). */
  cancel(): Promise<void>;
  close(): Promise<void>;
}

/** Normalises a driver's error into a DatabaseError, or returns undefined for non-PostgreSQL errors. */
export function asDatabaseError(error: unknown): DatabaseError | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const e = error as Record<string, unknown>;
  if (typeof e.code !== 'string' || !/^[0-9A-Z]{5}$/.test(e.code) || typeof e.message !== 'string') return undefined;
  const int = (value: unknown): number | undefined => (value === undefined || value === null || value === '' ? undefined : Number(value));
  const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
  return {
    code: e.code,
    message: e.message,
    detail: str(e.detail),
    hint: str(e.hint),
    position: int(e.position),
    internalPosition: int(e.internalPosition),
    internalQuery: str(e.internalQuery),
    where: str(e.where),
    schema: str(e.schema),
    table: str(e.table),
    column: str(e.column),
    dataType: str(e.dataType),
    constraint: str(e.constraint),
  };
}
