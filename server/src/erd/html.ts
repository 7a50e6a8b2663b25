/**
 * `pglens erd --format html`: one standalone HTML file with the interactive diagram (the webview's
 * bundle inlined). The model sits in a `<script type="application/json">` element; the CSP allows
 * exactly the inline script and style (by hash), the layout worker (a blob: URL) and no network.
 */
import { createHash } from 'node:crypto';
import type { ErdLayoutFile, ErdModel, ToView } from '../../../protocol/erd';
import { ERD_DATA_ELEMENT_ID } from '../../../protocol/erd';
import { xmlEscape } from '../../../protocol/erd-diagram/svg';

export interface ErdHtmlOptions {
  script: string;
  css: string;
  theme: 'light' | 'dark';
  title: string;
  positions?: ErdLayoutFile['positions'];
  failingMigration?: { path: string; message: string };
}

/** JSON safe inside a `<script>` element: no `<`, `>`, `&`, U+2028/9 left as such. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function erdHtml(model: ErdModel, options: ErdHtmlOptions): string {
  const message: ToView.Message = { type: 'model', model, sourceLabel: options.title, positions: options.positions ?? {}, ...(options.failingMigration ? { failingMigration: options.failingMigration } : {}) };
  const script = options.script.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '\\x3C!--');
  const css = options.css.replace(/<\/(style)/gi, '<\\/$1');
  const csp = [
    "default-src 'none'",
    `script-src '${sha256(script)}'`,
    `style-src '${sha256(css)}'`,
    'worker-src blob:',
    'img-src data: blob:',
    'font-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en" data-pglens-theme="${options.theme}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="pglens">
<title>${xmlEscape(options.title)}</title>
<style>${css}</style>
<script type="application/json" id="${ERD_DATA_ELEMENT_ID}">${scriptJson(message)}</script>
</head>
<body class="vscode-${options.theme}">
<script>${script}</script>
</body>
</html>
`;
}

function sha256(text: string): string {
  return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}
