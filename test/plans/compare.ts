/**
 * Compares a plan parsed from TEXT with the same plan parsed from JSON (two executions of one query):
 * same tree, same keys and values, times compared only by presence. Returns the differences as lines.
 */

/** Keys whose value changes from one execution to the next: compared by presence only. */
const VOLATILE = new Set([
  'Actual Startup Time', 'Actual Total Time', 'Planning Time', 'Execution Time', 'Time', 'Generation', 'Inlining', 'Optimization',
  'Emission', 'Total', 'Deform', 'I/O Read Time', 'I/O Write Time', 'Shared I/O Read Time', 'Shared I/O Write Time',
  'Local I/O Read Time', 'Local I/O Write Time', 'Temp I/O Read Time', 'Temp I/O Write Time', 'Query Identifier', 'Memory Used', 'Memory Allocated',
]);

/** Per-worker figures depend on how rows were shared between processes in that run. */
const VOLATILE_CONTAINERS = new Set(['Workers']);

/** Keys JSON prints that TEXT never carries (see parse-text.ts). */
export const JSON_ONLY = new Set(['Inner Unique', 'Disabled', 'Trigger Name', 'pglens']);

/** Below a Gather, how rows, memory and buffers split between processes changes from run to run. */
const STABLE_IN_PARALLEL = new Set(['Startup Cost', 'Total Cost', 'Plan Rows', 'Plan Width', 'Actual Loops', 'Workers Planned', 'Workers Launched']);
/** A rolled-back write's buffers and WAL depend on checkpoints and hint bits: compared by presence. */
const IO_KEYS = /Blocks$|^WAL /;

export interface CompareOptions {
  /** The plan writes (ModifyTable root): buffers and WAL by presence only. */
  writes?: boolean;
  /** Inside a Gather: only estimates, loops and worker counts are compared by value. */
  parallel?: boolean;
}

export function comparePlans(text: unknown, json: unknown, path = '$', out: string[] = [], options: CompareOptions = {}): string[] {
  if (Array.isArray(text) && Array.isArray(json)) {
    if (text.length !== json.length) out.push(`${path}: ${text.length} items in TEXT, ${json.length} in JSON`);
    for (let k = 0; k < Math.min(text.length, json.length); k++) comparePlans(text[k], json[k], `${path}[${k}]`, out, options);
    return out;
  }
  if (isObject(text) && isObject(json)) {
    const gather = json['Node Type'] === 'Gather' || json['Node Type'] === 'Gather Merge';
    // A Gather's own row count is that of its workers' partial results.
    const own = gather ? { ...options, parallel: true } : options;
    for (const key of Object.keys(text)) {
      if (!(key in json) && key !== 'pglens') out.push(`${path}: "${key}" only in TEXT (${JSON.stringify(text[key])})`);
    }
    for (const key of Object.keys(json)) {
      if (!(key in text)) {
        if (!JSON_ONLY.has(key)) out.push(`${path}: "${key}" missing from TEXT (JSON: ${JSON.stringify(json[key])})`);
        continue;
      }
      if (key === 'pglens' || VOLATILE.has(key)) continue;
      if (own.writes && IO_KEYS.test(key)) continue;
      if (own.parallel && typeof json[key] === 'number' && !STABLE_IN_PARALLEL.has(key)) continue;
      if (VOLATILE_CONTAINERS.has(key)) {
        comparePresence(text[key], json[key], `${path}.${key}`, out);
        continue;
      }
      const next = key === 'Plans' && gather ? { ...options, parallel: true } : options;
      comparePlans(text[key], json[key], `${path}.${key}`, out, next);
    }
    return out;
  }
  if (text !== json) out.push(`${path}: TEXT ${JSON.stringify(text)} ≠ JSON ${JSON.stringify(json)}`);
  return out;
}

function comparePresence(text: unknown, json: unknown, path: string, out: string[]): void {
  if (!Array.isArray(text) || !Array.isArray(json) || text.length !== json.length) {
    out.push(`${path}: differs in shape`);
    return;
  }
  text.forEach((item, k) => {
    const a = Object.keys(item as object).filter((key) => !JSON_ONLY.has(key)).sort();
    const b = Object.keys(json[k] as object).filter((key) => !JSON_ONLY.has(key)).sort();
    if (a.join() !== b.join()) out.push(`${path}[${k}]: keys ${a.join(', ')} ≠ ${b.join(', ')}`);
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
