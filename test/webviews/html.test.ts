/** planHtml: one self-contained page whose data cannot end its script element, with a CSP that allows only its own blocks. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ExplainResult } from '../../protocol/plan';
import { PLAN_DATA_ELEMENT_ID } from '../../protocol/plan-view';
import type { PlanViewContent } from '../../protocol/plan-view';
import { planHtml } from '../../server/src/plans/html';

const hostile: ExplainResult = {
  Plan: { 'Node Type': 'Seq Scan', 'Relation Name': 'x</script><script>alert(1)</script>', Filter: "(a = 'line\u2028sep\u2029<!--')", 'Total Cost': 1 },
};
const sha = (text: string): string => createHash('sha256').update(text).digest('base64');

describe('planHtml', () => {
  const script = 'console.log("</script>", `<!--`)';
  const css = 'body { color: red } /* </style> */';
  const html = planHtml([hostile], { script, css, theme: 'light', title: 'a <b> & "c"' });

  it('keeps the data inside its JSON element and gives it back intact', () => {
    const data = new RegExp(`<script type="application/json" id="${PLAN_DATA_ELEMENT_ID}">([^]*?)</script>`).exec(html)?.[1];
    expect(data).toBeDefined();
    expect(data).not.toMatch(/<|\u2028|\u2029/);
    const content = JSON.parse(data!) as PlanViewContent;
    expect(content).toEqual({ mode: 'single', title: 'a <b> & "c"', plans: [hostile] });
    // Only the page's own two </script> end tags.
    expect(html.match(/<\/script/gi)).toHaveLength(2);
    expect(html.match(/<\/style/gi)).toHaveLength(1);
  });

  it('declares a CSP with the hashes of exactly the inlined script and style, and nothing from the network', () => {
    const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1] ?? '';
    const inlinedScript = /<body[^>]*>\n<script>([^]*?)<\/script>/.exec(html)?.[1] ?? '';
    const inlinedCss = /<style>([^]*?)<\/style>/.exec(html)?.[1] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`script-src 'sha256-${sha(inlinedScript)}'`);
    expect(csp).toContain(`style-src 'sha256-${sha(inlinedCss)}'`);
    expect(inlinedScript).toBe('console.log("<\\/script>", `\\x3C!--`)');
    expect(html).not.toMatch(/https?:/);
    expect(html).toContain('<title>a &lt;b&gt; &amp; &quot;c&quot;</title>');
    expect(html).toContain('<html lang="en" data-pglens-theme="light">');
    expect(html).toContain('<body class="vscode-light">');
  });
});
