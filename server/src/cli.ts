import { runCli } from './cli/main';
import { redactSecrets } from './connection/redact';

runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`pglens: ${redactSecrets(error instanceof Error ? (error.stack ?? error.message) : String(error))}\n`);
    process.exitCode = 2;
  },
);
