import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { StatusNotification } from '../../protocol/messages';
import type { ConnectionStatus } from '../../protocol/messages';
import { onNotification } from './requests';

export const EMBEDDED_STATUS: ConnectionStatus = { state: 'embedded', label: 'embedded' };

/** Short status-bar words per error code; the tooltip has the full message. */
const SHORT_ERRORS: Record<string, string> = {
  '28P01': 'wrong password',
  PGLENS_NO_PASSWORD: 'password needed',
  '3D000': 'no such database',
  '28000': 'access denied',
  '53300': 'too many connections',
  '57P01': 'server shut down',
  '57P02': 'server crashed',
  '57P03': 'server unavailable',
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'unknown host',
  EAI_AGAIN: 'DNS lookup failed',
  PGLENS_TIMEOUT: 'no answer',
  PGLENS_CONNECTION_LOST: 'connection lost',
  PGLENS_UNSUPPORTED_VERSION: 'PostgreSQL too old',
  PGLENS_SSL_NOT_SUPPORTED: 'server has no SSL',
  PGLENS_CONFIG: 'bad connection settings',
  ERR_TLS_CERT_ALTNAME_INVALID: 'certificate host mismatch',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'untrusted certificate',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'untrusted certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'untrusted certificate',
  CERT_HAS_EXPIRED: 'certificate expired',
};

export interface StatusView {
  text: string;
  tooltip: string;
  error: boolean;
}

/** What the status bar shows for a status: text, tooltip, and whether it is an error. */
export function presentStatus(status: ConnectionStatus): StatusView {
  switch (status.state) {
    case 'embedded':
      return {
        text: '$(database) pglens: embedded',
        tooltip: 'pglens checks SQL against the embedded shadow database built from your migrations.\nClick to connect to a live database.',
        error: false,
      };
    case 'connecting':
      return { text: `$(sync~spin) pglens: ${status.label}`, tooltip: `Connecting to ${status.label}…`, error: false };
    case 'connected': {
      const parts = [status.label];
      if (status.serverVersion) parts.push(`PG ${status.serverVersion}`);
      if (status.tables !== undefined) parts.push(`${status.tables} ${status.tables === 1 ? 'table' : 'tables'}`);
      return {
        text: `$(database) pglens: ${parts.join(' · ')}`,
        tooltip: `Connected to ${status.label}${status.serverVersion ? ` (PostgreSQL ${status.serverVersion})` : ''}; pglens only reads its catalog.\nClick to switch connections.`,
        error: false,
      };
    }
    case 'error': {
      const message = status.error ?? 'connection failed';
      const short = (status.errorCode && SHORT_ERRORS[status.errorCode]) || truncate(message, 40);
      const lines = [message];
      if (status.stale) lines.push('Showing the schema loaded before the connection dropped.');
      lines.push(status.reconnecting ? 'pglens reconnects by itself; click to connect now.' : 'Click to connect.');
      return { text: `$(error) pglens: ${short}${status.reconnecting ? ' · reconnecting' : ''}`, tooltip: lines.join('\n'), error: true };
    }
  }
}

/** The connection status item (left, `$(database)`); clicking it runs pglens.connect. */
export class ConnectionStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private current: ConnectionStatus = EMBEDDED_STATUS;

  constructor() {
    this.item = vscode.window.createStatusBarItem('pglens.connection', vscode.StatusBarAlignment.Left, 0);
    this.item.name = 'pglens connection';
    this.item.command = 'pglens.connect';
    this.update(EMBEDDED_STATUS);
    this.item.show();
  }

  get status(): ConnectionStatus {
    return this.current;
  }

  /** Follows the server's `pglens/status` notifications; disposed when the client stops. */
  attach(client: LanguageClient): vscode.Disposable {
    return onNotification(client, StatusNotification.type, (status) => this.update(status));
  }

  update(status: ConnectionStatus): void {
    this.current = status;
    const view = presentStatus(status);
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.backgroundColor = view.error ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}

function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}
