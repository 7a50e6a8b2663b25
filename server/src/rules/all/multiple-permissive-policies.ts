import { nameSpanAt } from '../helpers';
import { policyOf } from '../rls-helpers';
import type { PolicyFacts } from '../rls-helpers';
import type { Rule } from '../types';

/** Permissive policies for the same role and command are OR-ed: each runs for every row, and any one of them lets a row through. */
export const rule: Rule = {
  name: 'multiple-permissive-policies',
  summary: 'a second permissive policy for the same table, role and command',
  defaultSeverity: 'warning',
  scalesWithTableSize: false,
  check(statement, context) {
    const policy = policyOf(statement);
    if (!policy?.permissive) return [];
    const earlier = context
      .earlier()
      .map(policyOf)
      .filter((candidate): candidate is PolicyFacts => candidate !== undefined && candidate.permissive && candidate.table === policy.table && overlaps(candidate, policy));
    if (earlier.length === 0) return [];
    const other = earlier[earlier.length - 1];
    const command = policy.command === 'all' ? other.command : policy.command;
    const role = policy.roles.find((name) => other.roles.includes(name)) ?? (other.roles.includes('public') ? policy.roles[0] : other.roles[0]);
    const span = nameSpanAt(statement, (policy.fields.table as { location?: number } | undefined)?.location);
    return [
      {
        ...span,
        message: `Policy "${policy.name}" and "${other.name}" are both permissive for ${role === 'public' ? 'every role' : `role ${role}`} and ${command === 'all' ? 'every command' : command.toUpperCase()} on ${policy.table}: PostgreSQL ORs them, so a row either one allows gets through, and both are evaluated for every row. If one was meant to narrow the other, make it AS RESTRICTIVE; otherwise merge them into one policy.`,
      },
    ];
  },
};

function overlaps(a: PolicyFacts, b: PolicyFacts): boolean {
  const commands = a.command === 'all' || b.command === 'all' || a.command === b.command;
  const roles = a.roles.includes('public') || b.roles.includes('public') || a.roles.some((role) => b.roles.includes(role));
  return commands && roles;
}
