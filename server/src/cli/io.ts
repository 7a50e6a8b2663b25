import { InputError } from '../workspace/errors';

/** Where the CLI writes; tests pass their own to run it in process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** A failure before any finding: bad paths, or a database that cannot be reached. */
export function describeFailure(error: unknown, databaseUrl: string | undefined): string {
  if (error instanceof InputError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  if (databaseUrl) return `cannot use the database ${redact(databaseUrl)}: ${message}`;
  return message;
}

/** A connection string without its password, for messages. */
export function redact(url: string): string {
  return url.replace(/(\/\/[^:/@]+):[^@]*@/, '$1:***@').replace(/(password=)[^\s&]+/i, '$1***');
}
