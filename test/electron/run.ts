/**
 * `npm run test:electron`: a thin smoke suite in VS Code desktop through @vscode/test-electron, for
 * machines that can download VS Code (these cannot: the real-editor suite here is test:e2e, in
 * code-server). It opens examples/ with the built extension and checks that diagnostics arrive.
 */
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..');
  await runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(root, 'dist/electron-suite.js'),
    launchArgs: [path.join(root, 'examples'), '--disable-extensions', '--disable-workspace-trust'],
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
