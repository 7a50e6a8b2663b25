import type { Disposable, LanguageClient } from 'vscode-languageclient/node';
import type { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';

/*
 * The messages are declared once in protocol/ with the server's copy of vscode-languageserver-protocol;
 * vscode-languageclient pins a copy of its own, whose message classes TypeScript (and jsonrpc's
 * parameter handling) do not take for the same. So the client sends by method name, typed by the
 * protocol's declaration: the parameters and the result cannot drift from what the server declares.
 */

export function sendRequest<P, R>(client: LanguageClient, type: RequestType<P, R, void>, params: P): Promise<R> {
  return client.sendRequest<R>(type.method, params);
}

export function sendRequest0<R>(client: LanguageClient, type: RequestType0<R, void>): Promise<R> {
  return client.sendRequest<R>(type.method);
}

export function onNotification<P>(client: LanguageClient, type: NotificationType<P>, handler: (params: P) => void): Disposable {
  return client.onNotification(type.method, handler);
}
