import type { Connection } from 'vscode-languageserver';
import type { PglensSettings } from '../../../protocol/settings';
import { DEFAULT_SETTINGS, normalizeSettings } from '../../../protocol/settings';
import type { AnalyzeOptions } from '../document/analyze';

/** Settings pulled per document through `workspace/configuration`, cached per URI until they change. */
export class SettingsCache {
  private readonly cache = new Map<string, Promise<PglensSettings>>();

  constructor(
    private readonly connection: Connection,
    private readonly clientCanPull: () => boolean,
  ) {}

  get(uri: string): Promise<PglensSettings> {
    if (!this.clientCanPull()) return Promise.resolve(DEFAULT_SETTINGS);
    let settings = this.cache.get(uri);
    if (!settings) {
      settings = this.connection.workspace
        .getConfiguration({ scopeUri: uri, section: 'pglens' })
        .then(normalizeSettings, () => DEFAULT_SETTINGS);
      this.cache.set(uri, settings);
    }
    return settings;
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }

  clear(): void {
    this.cache.clear();
  }
}

export function analyzeOptionsOf(settings: PglensSettings): AnalyzeOptions {
  return { maxFileSize: Math.round(settings.maxFileSizeMB * 1024 * 1024), plpgsql: settings.plpgsql };
}
