import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { ExplainResult, IndexSuggestion } from './plan';

/**
 * Custom LSP messages between the extension (client/) and the language server (server/), as
 * vscode-eslint declares them: each is a namespace with its method, its parameter and result types
 * and a typed `type` that both sides pass to sendRequest / onRequest, so neither can drift.
 */

/** How to reach a live database: libpq-style fields, or a connection string. Never persisted with a password. */
export interface ConnectionConfig {
  name: string;
  connectionString?: string;
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  password?: string;
  sslmode?: 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
  sslrootcert?: string;
  /** Settings sent along by the client (`pglens.pollIntervalMs`): how often to look for schema changes. */
  pollIntervalMs?: number;
  /** `pglens.statementTimeoutMs`: statement_timeout of pglens's own session. */
  statementTimeoutMs?: number;
}

/** `pglens/connect`: use this database for checks, hover and completion. */
export namespace ConnectRequest {
  export const method = 'pglens/connect';
  export type Params = ConnectionConfig;
  export type Result = ConnectionStatus;
  export const type = new RequestType<Params, Result, void>(method);
}

/** `pglens/disconnect`: back to the embedded shadow only. */
export namespace DisconnectRequest {
  export const method = 'pglens/disconnect';
  export type Result = ConnectionStatus;
  export const type = new RequestType0<Result, void>(method);
}

/** `pglens/refreshSchema`: reload the schema snapshot now. */
export namespace RefreshSchemaRequest {
  export const method = 'pglens/refreshSchema';
  export type Result = ConnectionStatus;
  export const type = new RequestType0<Result, void>(method);
}

/** `pglens/status` (server → client notification): what the status bar shows. */
export namespace StatusNotification {
  export const method = 'pglens/status';
  export type Params = ConnectionStatus;
  export const type = new NotificationType<Params>(method);
}

/**
 * `pglens/describeConnection`: `user@host:port/db` of a configured connection, never its password,
 * for the connection picker (the client does not parse connection strings itself). A stored
 * password is bound to this text.
 */
export namespace DescribeConnectionRequest {
  export const method = 'pglens/describeConnection';
  export type Params = ConnectionConfig;
  export interface Result {
    detail: string;
  }
  export const type = new RequestType<Params, Result, void>(method);
}

export interface ConnectionStatus {
  state: 'embedded' | 'connecting' | 'connected' | 'error';
  /** `database@host`, or `embedded` for the shadow. */
  label: string;
  serverVersion?: string;
  tables?: number;
  /** A clear, user-facing message when state is `error`. */
  error?: string;
  /** SQLSTATE or driver code of the error, e.g. `28P01` (wrong password), `ECONNREFUSED`. */
  errorCode?: string;
  /** In state `error` after the connection dropped: the schema shown is the last one loaded, and pglens is reconnecting. */
  stale?: boolean;
  /** In state `error`: pglens retries by itself (1 s, 2 s, 5 s, then every 10 s). */
  reconnecting?: boolean;
}

/** `pglens/explain`: EXPLAIN (or EXPLAIN ANALYZE) the statement at a position, or the given SQL text. */
export namespace ExplainRequest {
  export const method = 'pglens/explain';
  export interface Params {
    uri: string;
    /** The statement containing this position (LSP line/character), when `text` is not given. */
    position?: { line: number; character: number };
    /** SQL to explain instead (a selection); it must be exactly one statement. */
    text?: string;
    analyze?: boolean;
    /** The user agreed that a data-modifying statement runs (in a transaction that is rolled back). */
    confirmedWrites?: boolean;
  }
  export type Result = PlanResponse;
  export const type = new RequestType<Params, Result, void>(method);
}

/** `pglens/parsePlan`: EXPLAIN output (JSON or TEXT, psql frames and all) → plans with figures and hints. */
export namespace ParsePlanRequest {
  export const method = 'pglens/parsePlan';
  export interface Params {
    text: string;
    /** The document the plan came from, for schema-aware hints. */
    uri?: string;
  }
  export type Result = { ok: true; results: ExplainResult[] } | { ok: false; message: string; line?: number };
  export const type = new RequestType<Params, Result, void>(method);
}

export type PlanResponse =
  | {
      ok: true;
      results: ExplainResult[];
      /** The statement that was explained. */
      sql: string;
      /** e.g. `PostgreSQL 15.19 · shop@db.example.com`, or `embedded shadow (PostgreSQL 18.1)`. */
      sourceLabel: string;
      /** Planned on the shadow: tables are empty, estimates are not the user's. */
      shadow: boolean;
      generic: boolean;
      analyzed: boolean;
    }
  | {
      ok: false;
      /** `needs-confirmation`: ask the user, then send again with `confirmedWrites`. */
      reason: 'refused' | 'needs-confirmation' | 'database' | 'no-database';
      message: string;
    };

/** `pglens/indexMigration`: a new migration (in the workspace's convention) creating a suggested index, as an edit to apply. */
export namespace IndexMigrationRequest {
  export const method = 'pglens/indexMigration';
  export interface Params {
    /** The document the plan came from: its workspace folder gets the migration. */
    uri?: string;
    index: IndexSuggestion;
  }
  /** `edit` is an LSP WorkspaceEdit (create the file, insert its text); nothing is written until the client applies it. */
  export type Result = { ok: true; edit: unknown; files: string[] } | { ok: false; message: string };
  export const type = new RequestType<Params, Result, void>(method);
}

/**
 * `pglens/generateMigration`: a verified migration from one schema to another, as files to write.
 * Nothing is written by the server: the client asks about renames and hazards, then writes the files.
 */
export namespace GenerateMigrationRequest {
  export const method = 'pglens/generateMigration';
  export interface Params {
    /** The file or folder right-clicked (a declarative schema), or any file of the workspace for drift. */
    uri: string;
    /**
     * `schema`: from the workspace's migrations to the schema in `uri`.
     * `drift-capture`: from the migrations to the connected database (record changes made on the database).
     * `drift-apply`: from the connected database to the migrations (bring the database in line).
     */
    mode: 'schema' | 'drift-capture' | 'drift-apply';
    /** Confirmed renames (from the candidates of an earlier answer). */
    renames?: Array<{ kind: 'table'; from: string; to: string } | { kind: 'column'; table: string; from: string; to: string }>;
  }
  export type Result =
    | {
        ok: true;
        files: Array<{ path: string; content: string }>;
        /** `kind object: message`, one per destructive change, for the confirmation. */
        hazards: string[];
        /** Look-alike drop + add pairs to ask about. */
        renameCandidates: Array<{ kind: 'table' | 'column'; from: string; to: string; table?: string; similarity: number }>;
        /** e.g. `verified: up and down re-diff empty`, or why not. */
        verification: string;
        changes: number;
        format: string;
      }
    | { ok: false; message: string };
  export const type = new RequestType<Params, Result, void>(method);
}
