import { runCheck } from './check';
import { runDiff } from './diff';
import type { CliIo } from './io';
import { runSchema } from './schema';
import { USAGE } from './usage';

/** Every command: one module each under cli/, one line here. */
const COMMANDS: Record<string, (args: string[], io: CliIo) => Promise<number>> = {
  check: runCheck,
  schema: runSchema,
  diff: runDiff,
  // Loaded on demand: these commands pay for their modules only when they run.
  explain: async (args, io) => (await import('./plans.js')).runExplain(args, io),
  plan: async (args, io) => (await import('./plans.js')).runPlan(args, io),
  advise: async (args, io) => (await import('./advise.js')).runAdvise(args, io),
  rls: async (args, io) => (await import('./rls.js')).runRls(args, io),
  erd: async (args, io) => (await import('./erd.js')).runErd(args, io),
};

/** Runs the CLI and returns its exit code; it never calls process.exit, so tests can run it in process. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    io.stdout(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === '-v' || command === '--version') {
    io.stdout(`${PGLENS_VERSION}\n`);
    return 0;
  }
  const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!run) {
    io.stderr(`pglens: unknown command '${command}'\n\n${USAGE}`);
    return 2;
  }
  return run(rest, io);
}

declare const PGLENS_VERSION: string;
