/**
 * The ER diagram: its model (built by server/src/erd/model.ts from a SchemaSnapshot; also the JSON of
 * `pglens erd --format json`), the LSP request that serves it, and the messages between the extension
 * (client/src/erd-panel.ts) and the webview (webviews/erd/).
 */

import type { SchemaSnapshot } from './schema';

/** A table or view by schema and name (unquoted, as in the catalog). */
export interface ErdRef {
  schema: string;
  name: string;
}

export interface ErdColumn {
  name: string;
  /** `format_type()` text, e.g. `character varying(20)`. */
  type: string;
  nullable: boolean;
  primaryKey?: boolean;
  /** Part of at least one foreign key of this table. */
  foreignKey?: boolean;
  /** Unique on its own (a one-column UNIQUE constraint or unique index). */
  unique?: boolean;
  default?: string;
  identity?: 'always' | 'by default';
  /** Expression of a generated column. */
  generated?: string;
  comment?: string;
}

export interface ErdPartition extends ErdRef {
  /** `FOR VALUES …` */
  bound?: string;
}

export interface ErdTable extends ErdRef {
  kind: 'table' | 'partitioned table' | 'foreign table';
  columns: ErdColumn[];
  /** Primary key columns, in order. */
  primaryKey?: string[];
  /** Every UNIQUE constraint and unique index (non-partial), as column lists. */
  uniqueKeys?: string[][];
  /** For a partitioned table: `RANGE (created_at)` etc., and its partitions (folded into it). */
  partitionKey?: string;
  partitions?: ErdPartition[];
  /** Parents of table inheritance. */
  inherits?: ErdRef[];
  rlsEnabled: boolean;
  rlsForced: boolean;
  policies: number;
  /** `pg_class.reltuples`; -1 never analysed. */
  rowEstimate: number;
  comment?: string;
}

export interface ErdView extends ErdRef {
  materialized: boolean;
  columns: ErdColumn[];
  /** Tables and views it reads. */
  dependsOn: ErdRef[];
  comment?: string;
}

export type ErdAction = 'no action' | 'restrict' | 'cascade' | 'set null' | 'set default';

export interface ErdEnd {
  schema: string;
  table: string;
  columns: string[];
}

/** One foreign-key constraint (a partitioned table's is one relation, not one per partition). */
export interface ErdRelation {
  name: string;
  /** The referencing table. */
  from: ErdEnd;
  /** The referenced table and its key (primary or unique). */
  to: ErdEnd;
  onDelete: ErdAction;
  onUpdate: ErdAction;
  /** one-to-one when the referencing columns are unique, else many-to-one. */
  cardinality: 'one-to-one' | 'many-to-one';
  /** True when a referencing column is nullable: the row may reference nothing. */
  optional: boolean;
  /** Where the referenced table is a primary key (false: a UNIQUE key). */
  toPrimaryKey: boolean;
  validated: boolean;
}

export interface ErdModel {
  source: 'pg' | 'pglite';
  serverVersion: string;
  /** Schemas that hold at least one table or view, sorted. */
  schemas: string[];
  /** Tables and partitioned tables (never partitions), sorted by schema and name. */
  tables: ErdTable[];
  views: ErdView[];
  relations: ErdRelation[];
  /**
   * After filtering (schemas, focus): tables outside the selection that a kept relation reaches. They
   * are drawn as stubs (a name only), so no relation points into nothing.
   */
  stubs?: ErdRef[];
}

/** `schema.name`, the key the diagram uses for tables, views and stubs. */
export function erdKey(ref: ErdRef): string {
  return `${ref.schema}.${ref.name}`;
}

/** `pglens/erd`: the diagram of the workspace's schema (the live database when connected, else the shadow). */
export namespace ErdRequest {
  export const method = 'pglens/erd';
  export interface Params {
    /** A file of the workspace whose shadow to use; default: the first workspace folder. */
    uri?: string;
  }
  export type Result =
    | {
        ok: true;
        model: ErdModel;
        /** `connection name` or `embedded shadow`, for the toolbar. */
        sourceLabel: string;
        /** A migration that failed to replay: the diagram shows what did replay. */
        failingMigration?: { path: string; message: string };
      }
    | { ok: false; message: string; empty?: EmptyHint };
  /** Why there is nothing to show, for the empty state. */
  export interface EmptyHint {
    /** Folders where migrations are looked for. */
    searched: string[];
  }
}

/** `pglens/schemaTree`: the snapshot behind the side bar's schema tree, from the same source as the diagram. */
export namespace SchemaTreeRequest {
  export const method = 'pglens/schemaTree';
  export interface Params {
    uri?: string;
  }
  export type Result = { ok: true; sourceLabel: string; snapshot: SchemaSnapshot } | { ok: false; message: string };
}

/** `pglens/erdDefinition`: where the migrations create a table or view (the statement go-to-definition finds). */
export namespace ErdDefinitionRequest {
  export const method = 'pglens/erdDefinition';
  export interface Params {
    table: ErdRef;
    uri?: string;
  }
  /** An LSP Location, or null when no migration of the workspace creates it. */
  export type Result = { uri: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } } | null;
}

/** `pglens/schemaChanged` (server → client): the snapshot behind the diagram may have changed. */
export namespace ErdChangedNotification {
  export const method = 'pglens/schemaChanged';
}

/** Saved positions: `.vscode/pglens-erd.json`, one line per table so that diffs stay readable. */
export interface ErdLayoutFile {
  version: 1;
  /** `schema.name` → top-left corner, whole pixels. */
  positions: Record<string, { x: number; y: number }>;
}

export type ErdViewTheme = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

export const ERD_VIEW_TYPE = 'pglens.erd';
/** Standalone HTML: the model as JSON in this element. */
export const ERD_DATA_ELEMENT_ID = 'pglens-erd-data';

/** What the webview keeps with setState. */
export interface ErdViewState {
  search: string;
  schemas: string[] | null;
  hidden: string[];
  keysOnly: boolean;
  focus?: { table: string; depth: number };
  transform?: { x: number; y: number; k: number };
}

export namespace ToView {
  export type Message =
    | {
        type: 'model';
        model: ErdModel;
        sourceLabel: string;
        positions: ErdLayoutFile['positions'];
        failingMigration?: { path: string; message: string };
        /** Focus this table when the diagram opens. */
        focus?: string;
      }
    | { type: 'empty'; message: string; searched: string[] }
    | { type: 'focus'; table: string; depth?: number }
    | { type: 'theme'; theme: ErdViewTheme };
}

export namespace FromView {
  export type Message =
    | { type: 'ready' }
    /** Positions after a drag or a first layout: saved to the layout file. */
    | { type: 'positions'; positions: ErdLayoutFile['positions'] }
    /** Double-click on a table: go to the statement that created it. */
    | { type: 'openDefinition'; table: ErdRef }
    | { type: 'export'; format: 'svg' | 'png'; data: string }
    | { type: 'connect' }
    | { type: 'error'; message: string };
}
