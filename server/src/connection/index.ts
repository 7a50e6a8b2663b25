/** The live-database connection: what the language server and the CLI use of it. */
export { LiveConnection, checkServerVersion, formatVersionNum, MIN_SERVER_VERSION_NUM } from './live';
export type { Disposable, LiveConnectionOptions, Logger } from './live';
export { describeTarget, isConnectionString, nodeFiles, parseConnectionString, resolveConnection, resolveInput } from './resolve';
export { redactSecrets } from './redact';
export { openDatabase } from './open';
export type { FileReader, ResolveOptions, ResolvedConnection, SslMode } from './resolve';
export {
  ConnectionConfigError,
  PasswordRequiredError,
  PglensErrorCode,
  UnsupportedVersionError,
  explainConnectionError,
  isConnectionLost,
  isRetryable,
} from './errors';
export type { ExplainedError, ExplainOptions } from './errors';
