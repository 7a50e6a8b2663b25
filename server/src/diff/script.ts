/** Renders a SchemaDiff as one SQL script. */
import type { RenderOptions, SchemaDiff } from './types';

/** The preamble of a safe script: statements wait at most this long for a lock, then fail. */
export const LOCK_TIMEOUT_PREAMBLE = "SET lock_timeout = '5s'";

/** Names may hold line breaks: a header line must stay one comment line. */
function oneLine(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ');
}

/**
 * The statements of `diff`, each ending with `;`, after the lock_timeout preamble when the safe forms
 * are on; with `header`, a comment listing the changes and hazards first.
 */
export function renderScript(diff: SchemaDiff, options: RenderOptions = {}): string {
  const lines: string[] = [];
  if (options.header) {
    lines.push(`-- ${diff.changes.length} change${diff.changes.length === 1 ? '' : 's'}`);
    for (const change of diff.changes) lines.push(oneLine(`--   ${change.kind} ${change.object}${change.transactional ? '' : ' (outside a transaction)'}`));
    if (diff.hazards.length > 0) {
      lines.push('-- Hazards:');
      for (const hazard of diff.hazards) lines.push(oneLine(`--   ${hazard.kind}: ${hazard.object}: ${hazard.message}`));
    }
    lines.push('');
  }
  if (diff.safe && diff.changes.length > 0) lines.push(`${LOCK_TIMEOUT_PREAMBLE};`);
  for (const change of diff.changes) for (const statement of change.statements) lines.push(`${statement};`);
  return lines.join('\n') + (lines.length > 0 ? '\n' : '');
}
