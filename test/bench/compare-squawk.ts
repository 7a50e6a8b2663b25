/**
 * `npm run compare:squawk`: runs squawk-cli 2.66.0 and pglens's rules on every rule fixture
 * (test/fixtures/rules/<rule>/{fail,pass}-*.sql, with each fixture's own context: tool, target
 * version, migration or not) and writes docs/squawk-comparison.md: for each of our rules, the squawk
 * rules that cover the same mistake, and where the two agree or differ, with the fixture's own
 * explanation (its first comment line).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadParser } from '../../server/src/sql/parser';
import { fixturesOf, lint } from '../rules/fixtures';
import { squawkBinary } from './squawk';

const root = path.resolve(__dirname, '..');
const fixtures = path.join(root, 'test/fixtures/rules');
const squawk = squawkBinary(root) ?? 'squawk';

/** Our rule → squawk's rules for the same mistake (none: squawk has no such rule). */
const SQUAWK_EQUIVALENT: Record<string, string[]> = {
  'require-concurrent-index-creation': ['require-concurrent-index-creation'],
  'require-concurrent-index-deletion': ['require-concurrent-index-deletion'],
  'require-concurrent-reindex': [],
  'concurrently-in-transaction': ['ban-concurrent-index-creation-in-transaction'],
  'require-concurrent-detach-partition': [],
  'constraint-missing-not-valid': ['constraint-missing-not-valid', 'adding-foreign-key-constraint'],
  'set-not-null-without-check': ['adding-not-nullable-field'],
  'unique-without-using-index': ['disallowed-unique-constraint', 'adding-serial-primary-key-field'],
  'exclusion-constraint': [],
  'require-lock-timeout': ['require-timeout-settings', 'require-lock-timeout'],
  'require-statement-timeout': ['require-timeout-settings', 'require-statement-timeout'],
  'vacuum-full-or-cluster': [],
  'truncate-cascade': ['ban-truncate-cascade'],
  'changing-column-type': ['changing-column-type'],
  'volatile-default': ['adding-field-with-default'],
  'adding-not-null-column-without-default': ['adding-required-field'],
  'ban-drop-column': ['ban-drop-column'],
  'ban-drop-table': ['ban-drop-table', 'ban-drop-database'],
  'renaming-table': ['renaming-table'],
  'renaming-column': ['renaming-column'],
  'enum-add-value-without-position': [],
  'ban-rename-enum-value': [],
  'update-delete-without-where': [],
  'transaction-nesting': ['transaction-nesting'],
  'prefer-identity': ['prefer-identity', 'adding-serial-primary-key-field'],
  'prefer-bigint-keys': ['prefer-bigint-over-int', 'prefer-bigint-over-smallint'],
  'prefer-text': ['prefer-text-field', 'ban-char-field'],
  'prefer-timestamptz': ['prefer-timestamp-tz'],
  'prefer-jsonb': [],
  'identifier-too-long': [],
  'fk-without-index': [],
  'rls-without-policy': [],
  'policy-without-rls': [],
  'security-definer-search-path': [],
};

function squawkRules(file: string): Set<string> {
  const result = spawnSync(squawk, ['--reporter', 'json', file], { encoding: 'utf8' });
  try {
    return new Set((JSON.parse(result.stdout || '[]') as Array<{ rule_name: string }>).map((violation) => violation.rule_name));
  } catch {
    return new Set([`(squawk failed: ${(result.stderr || result.stdout).split('\n')[0]})`]);
  }
}

/** The fixture's first comment that is not a header option or a marker: why it passes or fails. */
function explanation(text: string): string {
  for (const line of text.split('\n')) {
    const comment = /^\s*--\s*(.*)$/.exec(line)?.[1];
    if (comment === undefined) continue;
    if (/^(tool|transactional|target-version|expect):|^not-migration\b|^no-quick-fix\b|^pglens-ignore|^migrate:|^\+goose/.test(comment) || comment.trim() === '') continue;
    return comment.trim();
  }
  return '';
}

/** Why a fixture of this kind is judged as it is, when the fixture does not say. */
const BY_NAME: Array<[RegExp, string]> = [
  [/not-migration/, 'Not a migration (a script run by hand): pglens applies lock and rewrite rules to migrations only; squawk cannot tell.'],
  [/new-table|created-here|new-tables/, 'The table is created earlier in the same file: it is empty and unused, so pglens knows the lock costs nothing.'],
  [/down/, 'A down section: not what a deploy runs.'],
  [/dbmate|goose|flyway|supabase|golang/, 'The migration tool wraps the file in a transaction (or lets it opt out): pglens knows, squawk only sees explicit BEGIN.'],
];

function why(file: string, text: string): string {
  return explanation(text) || BY_NAME.find(([pattern]) => pattern.test(path.basename(file)))?.[1] || '';
}

async function main(): Promise<void> {
  await loadParser();
  const rows: string[] = [];
  const summary = { agree: 0, oursOnly: 0, squawkOnly: 0 };
  for (const rule of fs.readdirSync(fixtures).sort()) {
    const equivalents = SQUAWK_EQUIVALENT[rule] ?? [];
    for (const fixtureOf of fixturesOf(rule, fixtures)) {
      const file = fixtureOf.file;
      const fixture = path.basename(file);
      const ours = lint(fixtureOf.text, fixtureOf.options, rule).findings.length > 0;
      const theirs = equivalents.filter((name) => squawkRules(file).has(name));
      const squawkSays = equivalents.length === 0 ? 'no such rule' : theirs.length > 0 ? theirs.join(', ') : '—';
      let verdict: string;
      if (ours === theirs.length > 0) {
        verdict = 'agree';
        summary.agree++;
      } else if (ours) {
        verdict = equivalents.length === 0 ? 'only pglens has this rule' : 'pglens flags, squawk does not';
        summary.oursOnly++;
      } else {
        verdict = 'squawk flags, pglens does not';
        summary.squawkOnly++;
      }
      rows.push(`| \`${rule}\` | ${fixture} | ${ours ? rule : '—'} | ${squawkSays} | ${verdict} | ${verdict === 'agree' ? '' : why(file, fixtureOf.text)} |`);
    }
  }

  const doc = `# pglens and squawk, side by side

Generated by \`npm run compare:squawk\` (squawk-cli 2.66.0 and pglens's rules, each fixture in its own context) on every rule
fixture in \`test/fixtures/rules/\`: a \`fail-\` fixture holds the mistake the rule is about, a \`pass-\`
fixture holds code that must not be flagged. Where the tools differ, the last column is the fixture's
own comment saying why; the usual reasons are below.

- **pglens knows the schema around the statement.** An index, constraint or rewrite on a table created
  earlier in the same migration (or, with \`--since\`, in this deploy) cannot block anyone: the table is
  empty and unused. squawk judges each statement alone and flags it.
- **pglens knows the migration tool.** Whether a file runs in a transaction (dbmate \`transaction:false\`,
  goose \`NO TRANSACTION\`, Flyway's detection, golang-migrate's implicit transaction) decides whether
  \`CONCURRENTLY\` can work; squawk only sees explicit \`BEGIN\`.
- **pglens knows the target version.** A constant \`DEFAULT\` on \`ADD COLUMN\` is free from PostgreSQL 11,
  \`REINDEX CONCURRENTLY\` needs 12, \`DETACH PARTITION CONCURRENTLY\` 14.
- **Rules squawk does not have** (\`no such rule\`): gaps on its side, not disagreements.
- **squawk-only rules not listed here**: \`prefer-robust-stmts\` (IF NOT EXISTS everywhere) — pglens
  checks each migration against the schema the earlier ones produce instead, which catches the real
  problem (the object exists or not) rather than requiring a style; \`ban-*-domain-*\` — a gap to close.

${summary.agree} fixtures agree, ${summary.oursOnly} flagged only by pglens, ${summary.squawkOnly} only by squawk.

| our rule | fixture | pglens | squawk | verdict | why |
|---|---|---|---|---|---|
${rows.join('\n')}
`;
  fs.writeFileSync(path.join(root, 'docs/squawk-comparison.md'), doc);
  console.log(`docs/squawk-comparison.md: ${summary.agree} agree, ${summary.oursOnly} pglens only, ${summary.squawkOnly} squawk only`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
