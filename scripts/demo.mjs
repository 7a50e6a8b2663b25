// `npm run demo`: pglens check on the bundled examples. Findings (exit 1) are the point of the demo;
// only a crash or bad usage (exit 2) fails it.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const result = spawnSync(process.execPath, [path.join(root, 'bin/pglens.js'), 'check', 'examples', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exitCode = result.status === 0 || result.status === 1 ? 0 : (result.status ?? 2);
