/**
 * One TEXT property line (`Sort Method: quicksort  Memory: 25kB`, `Buffers: shared hit=3 read=2`, …)
 * → the JSON keys PostgreSQL prints for it (`Sort Method`, `Sort Space Used`, `Sort Space Type`, …).
 * The wording follows explain.c (show_sort_info, show_hash_info, show_buffer_usage, …).
 */

type Target = Record<string, unknown>;

/** Expressions: always strings, even when they read as a number or `false` (`One-Time Filter: false`). */
export const EXPRESSIONS = new Set([
  'Filter', 'Join Filter', 'Index Cond', 'Recheck Cond', 'Hash Cond', 'Merge Cond', 'One-Time Filter', 'TID Cond', 'Order By',
  'Cache Key', 'Function Call', 'Table Function Call', 'Run Condition', 'Conflict Filter', 'Remote SQL', 'Relations', 'Window',
  'Cache Mode', 'Conflict Resolution', 'Sort Method', 'Custom Plan Provider', 'Query Text',
]);

/** Printed with ExplainPropertyList: a JSON array, `, `-separated in TEXT. */
export const LISTS = new Set(['Output', 'Sort Key', 'Presorted Key', 'Group Key', 'Hash Key', 'Conflict Arbiter Indexes', 'Params Evaluated', 'Sampling Parameters']);

/** Applies `key: value` (one TEXT line, label split off) to `target`. */
export function applyProperty(target: Target, key: string, value: string): void {
  const special = SPECIAL[key];
  if (special && special(target, value)) return;
  if (LISTS.has(key)) target[key] = splitList(value);
  else if (EXPRESSIONS.has(key)) target[key] = value;
  else target[key] = scalar(value);
}

function scalar(value: string): unknown {
  if (/^-?\d+(\.\d+)?( ms)?$/.test(value)) return Number(value.replace(' ms', ''));
  if (value === 'true' || value === 'false') return value === 'true';
  return value;
}

/** Splits at top-level `, ` (outside parentheses, brackets and quotes). */
export function splitList(value: string): string[] {
  if (value.trim() === '') return [];
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let k = 0; k < value.length; k++) {
    const char = value[k];
    if (quote) {
      if (char === quote) quote = '';
    } else if (char === "'" || char === '"') quote = char;
    else if (char === '(' || char === '[' || char === '{') depth++;
    else if (char === ')' || char === ']' || char === '}') depth--;
    else if (char === ',' && depth === 0 && value[k + 1] === ' ') {
      out.push(value.slice(start, k));
      start = k + 2;
      k++;
    }
  }
  out.push(value.slice(start));
  return out;
}

/** `a=1 b=2` → { a: 1, b: 2 } (numbers where they read as numbers). */
function pairs(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const match of text.matchAll(/([A-Za-z][\w ]*?)=(-?[\d.]+)/g)) out[match[1].trim()] = Number(match[2]);
  return out;
}

const kb = (text: string | undefined): number | undefined => (text === undefined ? undefined : Number(text));

const SPECIAL: Record<string, (target: Target, value: string) => boolean> = {
  'Sort Method': (target, value) => {
    // Old versions print two spaces after the colon: `Sort Method:  quicksort  Memory: 25kB`.
    const match = /^\s*(.*?) {2}(Memory|Disk): (\d+)kB$/.exec(value);
    if (!match) return false;
    Object.assign(target, { 'Sort Method': match[1], 'Sort Space Used': Number(match[3]), 'Sort Space Type': match[2] });
    return true;
  },
  Buckets: (target, value) => {
    const match = /^(\d+)(?: \(originally (\d+)\))? {2}Batches: (\d+)(?: \(originally (\d+)\))? {2}Memory Usage: (\d+)kB$/.exec(value);
    if (!match) return false;
    Object.assign(target, {
      'Hash Buckets': Number(match[1]),
      'Original Hash Buckets': Number(match[2] ?? match[1]),
      'Hash Batches': Number(match[3]),
      'Original Hash Batches': Number(match[4] ?? match[3]),
      'Peak Memory Usage': Number(match[5]),
    });
    return true;
  },
  'Planned Partitions': (target, value) => hashAgg(target, `Planned Partitions: ${value}`),
  Batches: (target, value) => hashAgg(target, `Batches: ${value}`),
  Hits: (target, value) => {
    const match = /^(\d+) {2}Misses: (\d+) {2}Evictions: (\d+) {2}Overflows: (\d+) {2}Memory Usage: (\d+)kB$/.exec(value);
    if (!match) return false;
    Object.assign(target, {
      'Cache Hits': Number(match[1]),
      'Cache Misses': Number(match[2]),
      'Cache Evictions': Number(match[3]),
      'Cache Overflows': Number(match[4]),
      'Peak Memory Usage': Number(match[5]),
    });
    return true;
  },
  'Full-sort Groups': (target, value) => sortGroups(target, 'Full-sort Groups', value),
  'Pre-sorted Groups': (target, value) => sortGroups(target, 'Pre-sorted Groups', value),
  'Heap Blocks': (target, value) => {
    const found = pairs(value);
    target['Exact Heap Blocks'] = found.exact ?? 0;
    target['Lossy Heap Blocks'] = found.lossy ?? 0;
    return true;
  },
  Storage: (target, value) => {
    const match = /^(\S+) {2}Maximum Storage: (\d+)kB$/.exec(value);
    if (!match) return false;
    Object.assign(target, { Storage: match[1], 'Maximum Storage': Number(match[2]) });
    return true;
  },
  Buffers: (target, value) => {
    Object.assign(target, buffers(value));
    return true;
  },
  'I/O Timings': (target, value) => {
    Object.assign(target, ioTimings(value));
    return true;
  },
  WAL: (target, value) => {
    const found = pairs(value.replace('buffers full', 'full'));
    target['WAL Records'] = found.records ?? 0;
    target['WAL FPI'] = found.fpi ?? 0;
    target['WAL Bytes'] = found.bytes ?? 0;
    if (found.full !== undefined) target['WAL Buffers Full'] = found.full;
    return true;
  },
  Sampling: (target, value) => {
    const match = /^(\S+) \((.*?)\)(?: REPEATABLE \((.*)\))?$/.exec(value);
    if (!match) return false;
    target['Sampling Method'] = match[1];
    target['Sampling Parameters'] = splitList(match[2]);
    if (match[3] !== undefined) target['Repeatable Seed'] = match[3];
    return true;
  },
};

function hashAgg(target: Target, line: string): boolean {
  const match = /^(?:Planned Partitions: (\d+) {2})?Batches: (\d+) {2}Memory Usage: (\d+)kB(?: {2}Disk Usage: (\d+)kB)?$/.exec(line);
  if (!match) {
    const planned = /^Planned Partitions: (\d+)$/.exec(line);
    if (!planned) return false;
    target['Planned Partitions'] = Number(planned[1]);
    return true;
  }
  if (match[1] !== undefined) target['Planned Partitions'] = Number(match[1]);
  Object.assign(target, { 'HashAgg Batches': Number(match[2]), 'Peak Memory Usage': Number(match[3]), 'Disk Usage': kb(match[4]) ?? 0 });
  return true;
}

/** `63  Sort Method: quicksort  Average Memory: 27kB  Peak Memory: 27kB` (incremental sort). */
function sortGroups(target: Target, label: string, value: string): boolean {
  const match = /^(\d+) {2}Sort Methods?: (.*?)(?: {2}Average Memory: (\d+)kB {2}Peak Memory: (\d+)kB)?(?: {2}Average Disk: (\d+)kB {2}Peak Disk: (\d+)kB)?$/.exec(value);
  if (!match) return false;
  const group: Record<string, unknown> = { 'Group Count': Number(match[1]), 'Sort Methods Used': match[2].split(', ') };
  if (match[3] !== undefined) group['Sort Space Memory'] = { 'Average Sort Space Used': Number(match[3]), 'Peak Sort Space Used': Number(match[4]) };
  if (match[5] !== undefined) group['Sort Space Disk'] = { 'Average Sort Space Used': Number(match[5]), 'Peak Sort Space Used': Number(match[6]) };
  target[label] = group;
  return true;
}

const BUFFER_NAMES: Record<string, Record<string, string>> = {
  shared: { hit: 'Shared Hit Blocks', read: 'Shared Read Blocks', dirtied: 'Shared Dirtied Blocks', written: 'Shared Written Blocks' },
  local: { hit: 'Local Hit Blocks', read: 'Local Read Blocks', dirtied: 'Local Dirtied Blocks', written: 'Local Written Blocks' },
  temp: { read: 'Temp Read Blocks', written: 'Temp Written Blocks' },
};

/** All ten buffer keys, zero unless TEXT names them (JSON prints them all; TEXT leaves zeros out). */
export function zeroBuffers(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const names of Object.values(BUFFER_NAMES)) for (const key of Object.values(names)) out[key] = 0;
  return out;
}

/** `shared hit=3 read=2, local hit=1, temp read=5 written=5`. */
function buffers(value: string): Record<string, number> {
  const out = zeroBuffers();
  for (const part of value.split(',')) {
    const match = /^\s*(shared|local|temp)\s+(.*)$/.exec(part);
    if (!match) continue;
    for (const [name, count] of Object.entries(pairs(match[2]))) {
      const key = BUFFER_NAMES[match[1]][name];
      if (key) out[key] = count;
    }
  }
  return out;
}

/** PostgreSQL 14: `read=… write=…`; 15–16: `shared/local read=…, temp read=…`; 17+: `shared …, local …, temp …`. */
function ioTimings(value: string): Record<string, number> {
  const out: Record<string, number> = {};
  const prefixes: Record<string, string> = { '': 'I/O', 'shared/local': 'I/O', shared: 'Shared I/O', local: 'Local I/O', temp: 'Temp I/O' };
  for (const part of value.split(',')) {
    const match = /^\s*(shared\/local|shared|local|temp)?\s*(.*)$/.exec(part);
    if (!match) continue;
    const prefix = prefixes[match[1] ?? ''];
    const found = pairs(match[2]);
    if (found.read !== undefined) out[`${prefix} Read Time`] = found.read;
    if (found.write !== undefined) out[`${prefix} Write Time`] = found.write;
  }
  return out;
}
