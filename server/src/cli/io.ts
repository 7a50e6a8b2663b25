import { redactSecrets } from '../connection/redact';
import type { ResolvedConnection } from '../connection/resolve';
import { InputError } from '../workspace/errors';

/** Where the CLI writes; tests pass their own to run it in process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/**
 * A failure before any finding: bad paths, or a database that cannot be used. `input` is what the
 * user typed as --db; `database` its resolved form when it resolved (its password is hidden too).
 */
export function describeFailure(error: unknown, input: string | undefined, database: ResolvedConnection | undefined): string {
  const message = error instanceof Error ? error.message : String(error);
  const secrets = [database?.config.password === undefined ? undefined : String(database.config.password)];
  if (error instanceof InputError || input === undefined) return redactSecrets(message, secrets);
  return redactSecrets(`cannot use the database ${database?.target ?? input}: ${message}`, secrets);
}
