/** The `pglens.*` settings, as the server reads them per document (see package.json contributes.configuration). */
export interface PglensSettings {
  enable: boolean;
  maxFileSizeMB: number;
  plpgsql: boolean;
  /** Where migrations are replayed: PGlite in process, or scratch databases on the connected server. */
  shadow: 'embedded' | 'server';
  /** statement_timeout of every EXPLAIN pglens runs (`pglens.explain.timeoutMs`). */
  explainTimeoutMs: number;
  /** Rule configuration as written in settings (`rules`, `targetVersion`, `thresholds`), validated by the server. */
  ruleConfig: { rules?: unknown; targetVersion?: unknown; thresholds?: unknown };
}

export const DEFAULT_SETTINGS: PglensSettings = {
  enable: true,
  maxFileSizeMB: 10,
  plpgsql: true,
  shadow: 'embedded',
  explainTimeoutMs: 5000,
  ruleConfig: {},
};

/** Fills missing or malformed values with defaults, so a bad settings.json never breaks the server. */
export function normalizeSettings(raw: unknown): PglensSettings {
  const value = (raw && typeof raw === 'object' ? raw : {}) as Partial<Record<keyof PglensSettings | 'rules' | 'targetVersion' | 'thresholds' | 'explain', unknown>>;
  const explain = (value.explain && typeof value.explain === 'object' ? value.explain : {}) as { timeoutMs?: unknown };
  return {
    enable: typeof value.enable === 'boolean' ? value.enable : DEFAULT_SETTINGS.enable,
    maxFileSizeMB: typeof value.maxFileSizeMB === 'number' && value.maxFileSizeMB > 0 ? value.maxFileSizeMB : DEFAULT_SETTINGS.maxFileSizeMB,
    plpgsql: typeof value.plpgsql === 'boolean' ? value.plpgsql : DEFAULT_SETTINGS.plpgsql,
    shadow: value.shadow === 'server' ? 'server' : 'embedded',
    explainTimeoutMs: typeof explain.timeoutMs === 'number' && explain.timeoutMs > 0 ? explain.timeoutMs : DEFAULT_SETTINGS.explainTimeoutMs,
    ruleConfig: { rules: value.rules, targetVersion: value.targetVersion, thresholds: value.thresholds },
  };
}
