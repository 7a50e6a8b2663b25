import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * squawk 2.66.0's binary, the migration linter we measure ourselves against. Installed as the
 * optional dependency @squawk-cli/linux-x64: the squawk-cli wrapper lists binaries for other platforms
 * that this registry does not have, which would break `npm ci`. Undefined on other platforms.
 */
export function squawkBinary(root: string): string | undefined {
  const binary = path.join(root, 'node_modules/@squawk-cli/linux-x64/bin/squawk');
  return fs.existsSync(binary) ? binary : undefined;
}
