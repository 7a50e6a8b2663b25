/**
 * Row-level security: what `pglens rls test` and `pglens rls matrix` answer (their JSON output), and
 * the messages between the extension (client/src/rls-panel.ts) and the "RLS Policies" webview
 * (webviews/rls/). The language server answers the view's questions through the requests below.
 */
import type { PolicyInfo, RlsModel } from './schema';

/** One table as a role sees it: rows visible to the role, or the SQLSTATE that refused its SELECT. */
export interface RlsTableCount {
  /** `schema.name`. */
  table: string;
  visible?: number;
  /** SQLSTATE, e.g. `42501` when the role has no SELECT privilege. */
  denied?: string;
  /** Every row, counted by the connecting user (absent when it cannot read the table either). */
  total?: number;
  /** A few rows the role sees (the webview's sample; the CLI leaves them out). */
  sample?: Array<Record<string, unknown>>;
}

/** `pglens rls test` without `--sql`. */
export interface RlsCountsResult {
  role: string;
  tables: RlsTableCount[];
}

/** `pglens rls test --sql …`: the statement ran as the role (and was rolled back), or was refused. */
export type RlsStatementResult = { allowed: true; rowCount: number } | { allowed: false; sqlstate: string; message: string };

export type RlsCommand = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';

/** Why row-level security does not filter a role's access to a table. */
export type RlsBypass = 'rls disabled' | 'superuser' | 'bypassrls' | 'owner without FORCE';

/** One cell of the matrix: a role, a table, a command. */
export interface RlsMatrixCell {
  role: string;
  table: string;
  command: RlsCommand;
  /** Allowed by grant: on the table, on some columns only, or not at all. */
  grant: 'table' | 'column' | 'none';
  /** Set when row-level security does not apply to this role on this table. */
  bypass?: RlsBypass;
  /** Policies that apply (when RLS applies): permissive ones OR-ed, restrictive ones AND-ed. */
  policies: Array<Pick<PolicyInfo, 'name' | 'command' | 'permissive' | 'using' | 'withCheck'>>;
  /**
   * The outcome in one word: `denied` (no grant), `all rows` (bypassed), `no rows` (RLS applies and no
   * permissive policy covers the role), `policies` (rows filtered by the policies listed).
   */
  effect: 'denied' | 'all rows' | 'no rows' | 'policies';
}

/** `pglens rls matrix`. */
export interface RlsMatrix {
  roles: string[];
  tables: string[];
  cells: RlsMatrixCell[];
}

/** Language server requests used by the RLS Policies view (through the extension). */
export namespace RlsModelRequest {
  export const method = 'pglens/rls/model';
  /** `source`: the live connection or the workspace's shadow (migrations replayed, seed loaded). */
  export interface Params {
    source: RlsSource;
  }
  export type Result = { ok: true; model: RlsModel; matrix: RlsMatrix } | { ok: false; message: string };
}

export type RlsSource = 'shadow' | 'live';

export namespace RlsTestRequest {
  export const method = 'pglens/rls/test';
  export interface Params {
    source: RlsSource;
    role: string;
    settings: Array<[string, string]>;
    /** A statement to run as the role (rolled back); without it, visible/total per table with sample rows. */
    sql?: string;
    /** Policy statements (CREATE POLICY …) being edited: applied first, in the same rolled-back transaction. */
    draft?: string;
  }
  export type Result = { ok: true; counts?: RlsCountsResult; statement?: RlsStatementResult } | { ok: false; message: string };
}

export namespace RlsCheckPolicyRequest {
  export const method = 'pglens/rls/checkPolicy';
  /** The policy statement as the editor builds it; checked by the parser, then by PostgreSQL in the shadow. */
  export interface Params {
    sql: string;
  }
  export type Result = { ok: true } | { ok: false; message: string; stage: 'parse' | 'postgres' };
}

export namespace RlsSaveRequest {
  export const method = 'pglens/rls/save';
  /** Writes nothing itself: returns the new migration files (in the workspace's convention) for the client to create. */
  export interface Params {
    /** CREATE POLICY (and ENABLE ROW LEVEL SECURITY) statements. */
    up: string;
    /** Their inverse (DROP POLICY …). */
    down: string;
    /** Name part of the migration file, e.g. `invoices_tenant_policy`. */
    name: string;
  }
  export type Result = { ok: true; files: Array<{ path: string; content: string }> } | { ok: false; message: string };
}

/** The webview's panel type (serializer and e2e selectors). */
export const RLS_VIEW_TYPE = 'pglens.rls';

export type RlsViewTheme = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

/** Extension → view. */
export type RlsToView =
  | { type: 'model'; source: RlsSource; sourceLabel: string; result: RlsModelRequest.Result }
  | { type: 'checked'; sql: string; result: RlsCheckPolicyRequest.Result }
  | { type: 'tested'; result: RlsTestRequest.Result }
  | { type: 'saved'; files: string[] }
  | { type: 'error'; message: string }
  | { type: 'theme'; theme: RlsViewTheme };

/** View → extension. */
export type RlsFromView =
  | { type: 'ready' }
  | { type: 'load'; source: RlsSource }
  | { type: 'check'; sql: string }
  | { type: 'test'; params: RlsTestRequest.Params }
  | { type: 'save'; params: RlsSaveRequest.Params };
