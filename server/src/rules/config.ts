import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Severity } from '../../../protocol/findings';

export type RuleSetting = Severity | 'off';

/** How rules are configured: VS Code settings (`pglens.rules`, …) and `pglens.json` at the workspace root, which the CLI reads too. */
export interface RuleConfig {
  /** Per-rule severity or `off`. */
  rules: Record<string, RuleSetting>;
  /** `server_version_num` the migrations will run on; undefined: the connected server's, else 180000. */
  targetVersion?: number;
  thresholds: SizeThresholds;
}

/** Table sizes that scale a lock or rewrite finding: small → information, medium → one step down, large or unknown → as configured. */
export interface SizeThresholds {
  /** At most this many rows (and bytes) is a small table. */
  smallRows: number;
  smallBytes: number;
  /** At least this many rows (or bytes) is a large table. */
  largeRows: number;
  largeBytes: number;
}

export const DEFAULT_THRESHOLDS: SizeThresholds = { smallRows: 10_000, smallBytes: 10 * 1024 * 1024, largeRows: 1_000_000, largeBytes: 1024 * 1024 * 1024 };

export const DEFAULT_RULE_CONFIG: RuleConfig = { rules: {}, thresholds: DEFAULT_THRESHOLDS };

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint', 'off']);

/** `15`, `15.4`, `150004` → 150000 / 150004; anything else → undefined. */
export function parseTargetVersion(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value >= 10_000 ? Math.floor(value) : Math.floor(value) * 10_000;
  if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim())) {
    const [major, minor] = value.trim().split('.').map(Number);
    return major >= 10_000 ? major : major * 10_000 + (minor ?? 0);
  }
  return undefined;
}

/** Merges a raw configuration object (settings or pglens.json) over `base`, ignoring malformed entries. */
export function mergeRuleConfig(base: RuleConfig, raw: unknown, problems: string[] = []): RuleConfig {
  if (!raw || typeof raw !== 'object') return base;
  const value = raw as Record<string, unknown>;
  const rules = { ...base.rules };
  if (value.rules && typeof value.rules === 'object') {
    for (const [name, setting] of Object.entries(value.rules as Record<string, unknown>)) {
      if (typeof setting === 'string' && SEVERITIES.has(setting)) rules[name] = setting as RuleSetting;
      else problems.push(`rule "${name}": "${String(setting)}" is not one of error, warning, information, hint, off`);
    }
  }
  const thresholds = { ...base.thresholds };
  if (value.thresholds && typeof value.thresholds === 'object') {
    for (const key of Object.keys(DEFAULT_THRESHOLDS) as Array<keyof SizeThresholds>) {
      const number = (value.thresholds as Record<string, unknown>)[key];
      if (typeof number === 'number' && number >= 0) thresholds[key] = number;
    }
  }
  const targetVersion = value.targetVersion === undefined || value.targetVersion === null ? base.targetVersion : parseTargetVersion(value.targetVersion);
  if (value.targetVersion !== undefined && value.targetVersion !== null && targetVersion === undefined) problems.push(`targetVersion "${String(value.targetVersion)}" is not a PostgreSQL version such as 15 or 16.4`);
  return { rules, thresholds, targetVersion };
}

/** `pglens.json` in `directory`, if there is one. Problems (bad JSON, bad values) are reported, not thrown. */
export function readProjectConfig(directory: string, base: RuleConfig = DEFAULT_RULE_CONFIG): { config: RuleConfig; problems: string[]; file?: string } {
  const file = path.join(directory, 'pglens.json');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return { config: base, problems: [] };
  }
  const problems: string[] = [];
  try {
    return { config: mergeRuleConfig(base, JSON.parse(text), problems), problems, file };
  } catch (error) {
    return { config: base, problems: [`${file}: ${(error as Error).message}`], file };
  }
}
