// `npm run sandbox`: code-server with pglens installed on a copy of examples/, bound to 127.0.0.1.
// Open the printed URL in a browser to try every feature without installing VS Code. Ctrl+C stops it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT, ensureTools, ensureVsix, startCodeServer } from './code-server.mjs';

ensureTools();
const vsix = ensureVsix();
const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'pglens-sandbox-'));
fs.cpSync(path.join(ROOT, 'examples'), workspace, { recursive: true });
const port = Number(process.env.PORT ?? 8080);
const server = await startCodeServer({ workspace, vsix, port });
console.log(`\npglens sandbox: ${server.url}\n(workspace: ${workspace}; Ctrl+C to stop)`);
const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
