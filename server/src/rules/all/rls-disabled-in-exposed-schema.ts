import { asArray, rangeVarName, stringValue, unwrap } from '../../sql/ast';
import type { Fields } from '../../sql/ast';
import { nameSpanAt, tableKey } from '../helpers';
import { rlsEnabledInFile } from '../rls-helpers';
import type { Rule, RuleContext } from '../types';

/** Roles through which Supabase's Data API (PostgREST) reaches a schema. */
const API_ROLES = new Set(['anon', 'authenticated']);

/** A table the API can reach, without row-level security, is readable and writable by every API user that has a grant. */
export const rule: Rule = {
  name: 'rls-disabled-in-exposed-schema',
  summary: 'CREATE TABLE in a schema exposed through an API (Supabase public, or granted to anon/authenticated) without ENABLE ROW LEVEL SECURITY',
  defaultSeverity: 'warning',
  scalesWithTableSize: false,
  check(statement, context) {
    const unwrapped = statement.outcome.ok ? unwrap(statement.outcome.stmt) : undefined;
    if (unwrapped?.[0] !== 'CreateStmt') return [];
    const fields = unwrapped[1];
    const relation = fields.relation as Fields | undefined;
    // Temporary tables are private to the session; a partition is reached through its parent's policies.
    if (!relation || relation.relpersistence === 't' || fields.partbound) return [];
    const name = rangeVarName(relation);
    if (!name) return [];
    const key = tableKey(name);
    const schema = key.slice(0, key.indexOf('.'));
    if (!exposedSchemas(context).has(schema) || rlsEnabledInFile(context).has(key)) return [];
    const span = nameSpanAt(statement, relation.location);
    const tableText = context.analysis.text.slice(span.start, span.end);
    const end = statement.segment.sql.trimEnd().endsWith(';') ? statement.segment.start + statement.segment.sql.trimEnd().length : statement.segment.end;
    return [
      {
        ...span,
        message: `Table ${name} is in schema ${schema}, which the API exposes, and this file never enables its row level security: any API user with a grant on it (Supabase grants anon and authenticated on public by default) reads and writes every row. Add ALTER TABLE ${tableText} ENABLE ROW LEVEL SECURITY and policies.`,
        fixes: [{ title: `Enable row level security on ${tableText}`, edits: [{ start: end, end, newText: `${statement.segment.sql.trimEnd().endsWith(';') ? '' : ';'}\nALTER TABLE ${tableText} ENABLE ROW LEVEL SECURITY;` }] }],
      },
    ];
  },
};

/** `public` in a Supabase project, and any schema the file grants USAGE on to anon or authenticated. */
function exposedSchemas(context: RuleContext): ReadonlySet<string> {
  return context.memo('rls:exposed-schemas', () => {
    const schemas = new Set<string>(context.tool === 'supabase' ? ['public'] : []);
    for (const statement of context.analysis.statements) {
      const grant = statement.outcome.ok ? unwrap(statement.outcome.stmt) : undefined;
      if (grant?.[0] !== 'GrantStmt' || grant[1].is_grant !== true || grant[1].objtype !== 'OBJECT_SCHEMA') continue;
      const toApi = asArray(grant[1].grantees).some((grantee) => API_ROLES.has(String(unwrap(grantee)?.[1].rolename)));
      if (!toApi) continue;
      for (const object of asArray(grant[1].objects)) {
        const schema = stringValue(object);
        if (schema) schemas.add(schema);
      }
    }
    return schemas;
  });
}
