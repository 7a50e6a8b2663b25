/**
 * `pglens plan --format html`: one standalone HTML file with the plan visualizer. The view's bundle and
 * CSS are inlined, the plans sit in a `<script type="application/json">` element that the view reads,
 * and a Content-Security-Policy allows exactly those two inline blocks (by hash) and no network at all.
 */
import { createHash } from 'node:crypto';
import type { ExplainResult } from '../../../protocol/plan';
import { PLAN_DATA_ELEMENT_ID } from '../../../protocol/plan-view';
import type { PlanViewContent } from '../../../protocol/plan-view';

export interface PlanHtmlOptions {
  /** The plan view's bundle (dist/webviews/plan.js). */
  script: string;
  /** Its stylesheet (dist/webviews/plan.css). */
  css: string;
  theme: 'light' | 'dark';
  /** Page title and the view's caption; default `EXPLAIN plan`. */
  title?: string;
}

export function planHtml(plans: ExplainResult[], options: PlanHtmlOptions): string {
  const title = options.title ?? 'EXPLAIN plan';
  const content: PlanViewContent = { mode: 'single', title, plans };
  // `</script` and `<!--` cannot occur in the data (every `<` is escaped), nor U+2028/9 (old JS parsers).
  const data = JSON.stringify(content).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  // Inside strings, regexes and comments `<\/script` and `\x3C!--` mean what they did; esbuild already avoids both.
  const script = options.script.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '\\x3C!--');
  const css = options.css.replace(/<\/(style)/gi, '<\\/$1');
  const csp = [
    "default-src 'none'",
    `script-src '${sha256(script)}'`,
    `style-src '${sha256(css)}'`,
    'img-src data:',
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
<title>${escapeHtml(title)}</title>
<style>${css}</style>
<script type="application/json" id="${PLAN_DATA_ELEMENT_ID}">${data}</script>
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

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
