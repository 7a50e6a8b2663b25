import { asArray, rangeVarName, unwrap } from '../../sql/ast';
import type { Fields } from '../../sql/ast';
import { nameSpanAt, tokensOf } from '../helpers';
import type { Fix, Rule, RuleFinding } from '../types';
import { outsideTransactionEdits, spell } from './concurrently-in-transaction';

/** DETACH PARTITION without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the partitioned table. */
export const rule: Rule = {
  name: 'require-concurrent-detach-partition',
  summary: 'DETACH PARTITION without CONCURRENTLY locks the whole partitioned table',
  defaultSeverity: 'error',
  scalesWithTableSize: true,
  check(statement, context) {
    const unwrapped = unwrap(statement.outcome.ok ? statement.outcome.stmt : undefined);
    if (!context.isMigration || unwrapped?.[0] !== 'AlterTableStmt') return [];
    const table = rangeVarName(unwrapped[1].relation);
    if (!table) return [];
    const commands = asArray(unwrapped[1].cmds).map((command) => unwrap(command)?.[1] ?? {});
    const findings: RuleFinding[] = [];
    for (const cmd of commands) {
      if (cmd.subtype !== 'AT_DetachPartition') continue;
      const partitionCmd = unwrap(cmd.def)?.[1] as Fields | undefined;
      if (!partitionCmd || partitionCmd.concurrent) continue;
      const partition = rangeVarName(partitionCmd.name) ?? 'the partition';
      const name = nameSpanAt(statement, (partitionCmd.name as Fields | undefined)?.location);
      const tokens = tokensOf(statement);
      const at = tokens.findIndex((token) => token.start === name.start);
      const span = at >= 2 ? { start: tokens[at - 2].start, end: name.end } : name;
      const lock = `DETACH PARTITION takes an ACCESS EXCLUSIVE lock on ${table}: every query on every partition waits until it finishes, and it waits for running queries.`;
      if (context.targetVersion < 140000) {
        findings.push({ ...span, table, message: `${lock} DETACH PARTITION … CONCURRENTLY needs PostgreSQL 14; before that, detach at a quiet time with a short lock_timeout.` });
        continue;
      }
      const fixes: Fix[] = [];
      const outside = outsideTransactionEdits(context);
      // CONCURRENTLY cannot be combined with other subcommands.
      if (outside && commands.length === 1) {
        const concurrently = spell(statement, 'CONCURRENTLY');
        fixes.push({
          title: outside.removesBlock ? 'Detach CONCURRENTLY (and remove the BEGIN/COMMIT around it)' : 'Detach CONCURRENTLY (outside a transaction)',
          preferred: !outside.removesBlock,
          edits: [{ start: name.end, end: name.end, newText: ` ${concurrently}` }, ...outside.edits],
        });
      }
      findings.push({
        ...span,
        table,
        message: `${lock} Use DETACH PARTITION ${partition} CONCURRENTLY (SHARE UPDATE EXCLUSIVE), alone in its ALTER TABLE and outside a transaction (not possible while the table has a DEFAULT partition).`,
        fixes,
      });
    }
    return findings;
  },
};
