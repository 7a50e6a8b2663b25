import type { Node } from 'libpg-query';
import { asArray, findOption, qualifiedName, rangeVarName, stringValue, unwrap } from './ast';
import type { Fields } from './ast';

/** What a statement is, for the outline: `CREATE TABLE public.users`, `SELECT`, `GRANT`. */
export interface StatementDescription {
  label: string;
  /** The object the statement is about, when it names one. */
  object?: string;
  category: StatementCategory;
}

export type StatementCategory =
  | 'table'
  | 'index'
  | 'view'
  | 'function'
  | 'type'
  | 'sequence'
  | 'schema'
  | 'trigger'
  | 'policy'
  | 'query'
  | 'transaction'
  | 'other';

const OBJECT_TYPE_WORDS: Record<string, string> = {
  OBJECT_TABLE: 'TABLE',
  OBJECT_INDEX: 'INDEX',
  OBJECT_VIEW: 'VIEW',
  OBJECT_MATVIEW: 'MATERIALIZED VIEW',
  OBJECT_SEQUENCE: 'SEQUENCE',
  OBJECT_SCHEMA: 'SCHEMA',
  OBJECT_TYPE: 'TYPE',
  OBJECT_DOMAIN: 'DOMAIN',
  OBJECT_FUNCTION: 'FUNCTION',
  OBJECT_PROCEDURE: 'PROCEDURE',
  OBJECT_ROUTINE: 'ROUTINE',
  OBJECT_TRIGGER: 'TRIGGER',
  OBJECT_POLICY: 'POLICY',
  OBJECT_EXTENSION: 'EXTENSION',
  OBJECT_FOREIGN_TABLE: 'FOREIGN TABLE',
  OBJECT_COLUMN: 'COLUMN',
  OBJECT_ROLE: 'ROLE',
  OBJECT_DATABASE: 'DATABASE',
  OBJECT_RULE: 'RULE',
  OBJECT_TABCONSTRAINT: 'CONSTRAINT',
  OBJECT_AGGREGATE: 'AGGREGATE',
  OBJECT_COLLATION: 'COLLATION',
  OBJECT_PUBLICATION: 'PUBLICATION',
  OBJECT_SUBSCRIPTION: 'SUBSCRIPTION',
  OBJECT_STATISTIC_EXT: 'STATISTICS',
};

const CATEGORY_OF_OBJECT: Record<string, StatementCategory> = {
  TABLE: 'table',
  'FOREIGN TABLE': 'table',
  INDEX: 'index',
  VIEW: 'view',
  'MATERIALIZED VIEW': 'view',
  SEQUENCE: 'sequence',
  SCHEMA: 'schema',
  TYPE: 'type',
  DOMAIN: 'type',
  FUNCTION: 'function',
  PROCEDURE: 'function',
  ROUTINE: 'function',
  AGGREGATE: 'function',
  TRIGGER: 'trigger',
  POLICY: 'policy',
};

function objectWord(objtype: unknown): string {
  return (typeof objtype === 'string' && OBJECT_TYPE_WORDS[objtype]) || 'OBJECT';
}

function describeWith(verb: string, objectKind: string, object: string | undefined): StatementDescription {
  return {
    label: object ? `${verb} ${objectKind} ${object}` : `${verb} ${objectKind}`,
    object,
    category: CATEGORY_OF_OBJECT[objectKind] ?? 'other',
  };
}

type Describer = (fields: Fields) => StatementDescription;

const DESCRIBERS: Record<string, Describer> = {
  CreateStmt: (f) => describeWith('CREATE', 'TABLE', rangeVarName(f.relation)),
  CreateForeignTableStmt: (f) => describeWith('CREATE', 'FOREIGN TABLE', rangeVarName((f.base as Fields | undefined)?.relation)),
  CreateTableAsStmt: (f) => {
    const into = f.into as Fields | undefined;
    return describeWith('CREATE', f.objtype === 'OBJECT_MATVIEW' ? 'MATERIALIZED VIEW' : 'TABLE', rangeVarName(into?.rel));
  },
  AlterTableStmt: (f) => describeWith('ALTER', objectWord(f.objtype), rangeVarName(f.relation)),
  IndexStmt: (f) => {
    const index = typeof f.idxname === 'string' ? f.idxname : undefined;
    const table = rangeVarName(f.relation);
    return {
      label: `CREATE ${f.unique ? 'UNIQUE ' : ''}INDEX${index ? ` ${index}` : ''}${table ? ` ON ${table}` : ''}`,
      object: index ?? table,
      category: 'index',
    };
  },
  ViewStmt: (f) => describeWith('CREATE', 'VIEW', rangeVarName(f.view)),
  CreateFunctionStmt: (f) => describeWith('CREATE', f.is_procedure ? 'PROCEDURE' : 'FUNCTION', qualifiedName(f.funcname)),
  CreateTrigStmt: (f) => {
    const table = rangeVarName(f.relation);
    return { label: `CREATE TRIGGER ${String(f.trigname ?? '')}${table ? ` ON ${table}` : ''}`, object: String(f.trigname ?? ''), category: 'trigger' };
  },
  CreatePolicyStmt: (f) => {
    const table = rangeVarName(f.table);
    return { label: `CREATE POLICY ${String(f.policy_name ?? '')}${table ? ` ON ${table}` : ''}`, object: String(f.policy_name ?? ''), category: 'policy' };
  },
  AlterPolicyStmt: (f) => ({ label: `ALTER POLICY ${String(f.policy_name ?? '')}`, object: String(f.policy_name ?? ''), category: 'policy' }),
  CreateSchemaStmt: (f) => describeWith('CREATE', 'SCHEMA', typeof f.schemaname === 'string' ? f.schemaname : undefined),
  CreateSeqStmt: (f) => describeWith('CREATE', 'SEQUENCE', rangeVarName(f.sequence)),
  AlterSeqStmt: (f) => describeWith('ALTER', 'SEQUENCE', rangeVarName(f.sequence)),
  CreateEnumStmt: (f) => describeWith('CREATE', 'TYPE', qualifiedName(f.typeName)),
  AlterEnumStmt: (f) => describeWith('ALTER', 'TYPE', qualifiedName(f.typeName)),
  CompositeTypeStmt: (f) => describeWith('CREATE', 'TYPE', rangeVarName(f.typevar)),
  CreateRangeStmt: (f) => describeWith('CREATE', 'TYPE', qualifiedName(f.typeName)),
  CreateDomainStmt: (f) => describeWith('CREATE', 'DOMAIN', qualifiedName(f.domainname)),
  CreateExtensionStmt: (f) => describeWith('CREATE', 'EXTENSION', typeof f.extname === 'string' ? f.extname : undefined),
  DropStmt: (f) => {
    const kind = objectWord(f.removeType);
    const names = asArray(f.objects).map((object) => {
      const list = unwrap(object);
      if (list?.[0] === 'List') return qualifiedName(list[1].items);
      if (list?.[0] === 'TypeName') return qualifiedName(list[1].names);
      if (list?.[0] === 'ObjectWithArgs') return qualifiedName(list[1].objname);
      return stringValue(object) ?? '';
    });
    return describeWith('DROP', kind, names.filter(Boolean).join(', ') || undefined);
  },
  RenameStmt: (f) => describeWith('ALTER', objectWord(f.renameType), rangeVarName(f.relation) ?? stringValue(f.object)),
  CommentStmt: (f) => ({ label: `COMMENT ON ${objectWord(f.objtype)}`, category: 'other' }),
  SelectStmt: () => ({ label: 'SELECT', category: 'query' }),
  InsertStmt: (f) => ({ label: `INSERT INTO ${rangeVarName(f.relation) ?? ''}`.trim(), object: rangeVarName(f.relation), category: 'query' }),
  UpdateStmt: (f) => ({ label: `UPDATE ${rangeVarName(f.relation) ?? ''}`.trim(), object: rangeVarName(f.relation), category: 'query' }),
  DeleteStmt: (f) => ({ label: `DELETE FROM ${rangeVarName(f.relation) ?? ''}`.trim(), object: rangeVarName(f.relation), category: 'query' }),
  MergeStmt: (f) => ({ label: `MERGE INTO ${rangeVarName(f.relation) ?? ''}`.trim(), object: rangeVarName(f.relation), category: 'query' }),
  TransactionStmt: (f) => ({ label: String(f.kind ?? 'TRANSACTION').replace(/^TRANS_STMT_/, '').replace(/_/g, ' '), category: 'transaction' }),
  DoStmt: (f) => ({ label: `DO${findOption(f.args, 'language') ? '' : ' (plpgsql)'}`, category: 'function' }),
  GrantStmt: (f) => ({ label: `${f.is_grant ? 'GRANT' : 'REVOKE'} ON ${objectWord(f.objtype)}`, category: 'other' }),
  VariableSetStmt: (f) => ({ label: f.kind === 'VAR_RESET' || f.kind === 'VAR_RESET_ALL' ? `RESET ${String(f.name ?? 'ALL')}` : `SET ${String(f.name ?? '')}`.trim(), category: 'other' }),
  ExplainStmt: () => ({ label: 'EXPLAIN', category: 'query' }),
  CopyStmt: (f) => ({ label: `COPY ${rangeVarName(f.relation) ?? ''}`.trim(), category: 'query' }),
};

/** Describes a parsed statement; falls back to the statement's leading keywords. */
export function describeStatement(stmt: Node | undefined, sql: string): StatementDescription {
  const unwrapped = unwrap(stmt);
  const describer = unwrapped && DESCRIBERS[unwrapped[0]];
  if (unwrapped && describer) return describer(unwrapped[1]);
  return { label: leadingKeywords(sql), category: 'other' };
}

/** `create  or replace\n rule x …` → `CREATE OR REPLACE RULE`. */
export function leadingKeywords(sql: string, maxWords = 3): string {
  const words = sql
    .replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, ' ')
    .trim()
    .split(/[^A-Za-z_]+/)
    .filter(Boolean)
    .slice(0, maxWords);
  return words.join(' ').toUpperCase() || 'statement';
}
