import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { startServer } from './server';

// Transport comes from the command line (--stdio, --node-ipc, --socket=N), as vscode-languageclient passes it.
const connection = createConnection(ProposedFeatures.all);

// The server never crashes on one bad document: log, keep answering.
process.on('uncaughtException', (error) => connection.console.error(`pglens: uncaught ${error.stack ?? error.message}`));
process.on('unhandledRejection', (reason) => connection.console.error(`pglens: unhandled rejection ${String(reason)}`));

startServer(connection);
