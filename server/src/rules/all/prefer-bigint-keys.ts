import { asArray, qualifiedName, rangeVarName, stringValue, unwrap } from '../../sql/ast';
import type { Fields } from '../../sql/ast';
import type { AnalyzedStatement } from '../../document/analyze';
import { tableKey, tokensOf } from '../helpers';
import type { Rule, RuleFinding } from '../types';

/** Integer types that run out, by the name the parse tree gives them, with their limit and their bigint replacement. */
const SMALL_INTEGERS: Record<string, { limit: string; bigint: string }> = {
  int4: { limit: '2,147,483,647', bigint: 'bigint' },
  int2: { limit: '32,767', bigint: 'bigint' },
  serial: { limit: '2,147,483,647', bigint: 'bigserial' },
  serial4: { limit: '2,147,483,647', bigint: 'bigserial' },
  smallserial: { limit: '32,767', bigint: 'bigserial' },
  serial2: { limit: '32,767', bigint: 'bigserial' },
};
const SERIALS = new Set(['serial', 'serial4', 'smallserial', 'serial2']);
const BIGINTS = new Set(['int8', 'bigserial', 'serial8']);

/** An integer key runs out at 2.1 billion, and widening it later rewrites the table under an ACCESS EXCLUSIVE lock. */
export const rule: Rule = {
  name: 'prefer-bigint-keys',
  summary: 'integer or smallint primary key, identity or serial column instead of bigint',
  defaultSeverity: 'information',
  scalesWithTableSize: false,
  category: 'style',
  check(statement, context) {
    if (!statement.outcome.ok) return [];
    const unwrapped = unwrap(statement.outcome.stmt);
    if (!unwrapped) return [];
    const [type, fields] = unwrapped;
    const table = type === 'CreateStmt' || type === 'AlterTableStmt' ? rangeVarName(fields.relation) : undefined;
    if (!table) return [];
    const columns = definedColumns(unwrapped);
    const tableConstraints = type === 'CreateStmt' ? constraintsOf(fields.tableElts) : [];
    const primaryKey = tableConstraints.find((constraint) => constraint.contype === 'CONSTR_PRIMARY');
    const primaryKeyColumns = asArray(primaryKey?.keys).map(stringValue);
    // Tables created earlier in this file (and this one), for foreign keys to a bigint key.
    const created = (): AnalyzedStatement[] => context.analysis.statements.slice(0, context.index + 1);
    // Scanned only when a column needs reporting: most statements have none.
    let scanned: ReturnType<typeof tokensOf> | undefined;
    const tokens = (): ReturnType<typeof tokensOf> => (scanned ??= tokensOf(statement));
    const findings: RuleFinding[] = [];

    for (const column of columns) {
      const typeName = column.typeName as Fields | undefined;
      const kind = integerKind(typeName);
      if (!typeName || !kind) continue;
      const name = String(column.colname);
      const constraints = constraintsOf(column.constraints);
      const written = tokens().findIndex((token) => token.byte === typeName.location);
      if (written < 0) continue;
      let last = written;
      while (tokens()[last + 1]?.text === '.' && tokens()[last + 2]) last += 2;
      const typeText = statement.segment.sql.slice(tokens()[written].start - statement.segment.start, tokens()[last].end - statement.segment.start);
      const { limit, bigint } = SMALL_INTEGERS[kind];

      let message: string | undefined;
      const isPrimaryKey = constraints.some((constraint) => constraint.contype === 'CONSTR_PRIMARY') || (primaryKeyColumns.length === 1 && primaryKeyColumns[0] === name);
      const isIdentity = constraints.some((constraint) => constraint.contype === 'CONSTR_IDENTITY');
      if (isPrimaryKey || isIdentity || SERIALS.has(kind)) {
        const what = isPrimaryKey ? 'primary key' : isIdentity ? 'identity column' : 'serial column';
        message = `The ${what} ${name} is ${typeText}: it runs out at ${limit}, and changing it to bigint later rewrites the table and its indexes under an ACCESS EXCLUSIVE lock. Use ${bigint}.`;
      } else {
        const target = referencedBigint(name, constraints, tableConstraints, table, created);
        if (target) message = `${name} is ${typeText} but references ${target}, a bigint: inserts fail once the referenced ids pass ${limit}. Use ${bigint}.`;
      }
      if (!message) continue;
      findings.push({
        start: tokens()[written].start,
        end: tokens()[last].end,
        message,
        fixes: [{ title: `Use ${bigint}`, preferred: true, edits: [{ start: tokens()[written].start, end: tokens()[last].end, newText: bigint }] }],
      });
    }
    return findings;
  },
};

/** `int4`, `int2`, `serial`, … for a non-array integer type that runs out, else undefined. */
function integerKind(typeName: Fields | undefined): string | undefined {
  if (!typeName || asArray(typeName.arrayBounds).length > 0) return undefined;
  const name = qualifiedName(typeName.names);
  const bare = name.startsWith('pg_catalog.') ? name.slice('pg_catalog.'.length) : name;
  if (SERIALS.has(bare) && name !== bare) return undefined; // pg_catalog.serial is not a serial
  return bare in SMALL_INTEGERS ? bare : undefined;
}

function bigintType(typeName: unknown): boolean {
  const names = asArray((typeName as Fields | undefined)?.names).map(stringValue);
  return asArray((typeName as Fields | undefined)?.arrayBounds).length === 0 && BIGINTS.has(names[names.length - 1] ?? '');
}

/** The column definitions a statement creates: CREATE TABLE columns, ALTER TABLE … ADD COLUMN. */
function definedColumns([type, fields]: [string, Fields]): Fields[] {
  const elements =
    type === 'CreateStmt'
      ? asArray(fields.tableElts)
      : asArray(fields.cmds).flatMap((command) => {
          const cmd = unwrap(command)?.[1];
          return cmd?.subtype === 'AT_AddColumn' ? [cmd.def] : [];
        });
  return elements.flatMap((element) => {
    const column = unwrap(element);
    return column?.[0] === 'ColumnDef' ? [column[1]] : [];
  });
}

function constraintsOf(list: unknown): Fields[] {
  return asArray(list).flatMap((node) => {
    const constraint = unwrap(node);
    return constraint?.[0] === 'Constraint' ? [constraint[1]] : [];
  });
}

/**
 * `table.column` when `column` is a foreign key to a bigint column of a table created in this file
 * (earlier, or by this very statement), else undefined.
 */
function referencedBigint(column: string, columnConstraints: Fields[], tableConstraints: Fields[], table: string, statementsSoFar: () => AnalyzedStatement[]): string | undefined {
  const references: { pktable: unknown; attribute: string | undefined; position: number }[] = [];
  for (const constraint of columnConstraints) {
    if (constraint.contype === 'CONSTR_FOREIGN') references.push({ pktable: constraint.pktable, attribute: asArray(constraint.pk_attrs).map(stringValue)[0], position: 0 });
  }
  for (const constraint of tableConstraints) {
    if (constraint.contype !== 'CONSTR_FOREIGN') continue;
    const position = asArray(constraint.fk_attrs).map(stringValue).indexOf(column);
    if (position >= 0) references.push({ pktable: constraint.pktable, attribute: asArray(constraint.pk_attrs).map(stringValue)[position], position });
  }
  for (const reference of references) {
    const target = rangeVarName(reference.pktable);
    if (!target) continue;
    const definition = statementsSoFar()
      .map((candidate) => (candidate.outcome.ok ? unwrap(candidate.outcome.stmt) : undefined))
      .reverse()
      .find((candidate) => candidate?.[0] === 'CreateStmt' && tableKey(rangeVarName(candidate[1].relation) ?? '') === tableKey(target));
    if (!definition) continue;
    const targetColumns = asArray(definition[1].tableElts).flatMap((element) => {
      const node = unwrap(element);
      return node?.[0] === 'ColumnDef' ? [node[1]] : [];
    });
    let attribute = reference.attribute;
    if (attribute === undefined) {
      // REFERENCES t without columns: t's primary key.
      const inline = targetColumns.find((candidate) => constraintsOf(candidate.constraints).some((constraint) => constraint.contype === 'CONSTR_PRIMARY'));
      const tableKeyColumns = constraintsOf(definition[1].tableElts).find((constraint) => constraint.contype === 'CONSTR_PRIMARY')?.keys;
      attribute = inline ? String(inline.colname) : asArray(tableKeyColumns).map(stringValue)[reference.position];
    }
    const referenced = targetColumns.find((candidate) => candidate.colname === attribute);
    if (referenced && bigintType(referenced.typeName) && !(tableKey(target) === tableKey(table) && referenced.colname === column)) return `${target}.${attribute}`;
  }
  return undefined;
}
