/**
 * Theme kind of the page. Inside VS Code the body carries `vscode-light`, `vscode-dark`,
 * `vscode-high-contrast` or `vscode-high-contrast-light` and the `--vscode-*` variables are set by the
 * editor. Outside it (standalone HTML) `data-pglens-theme` on <html> selects the fallback palette
 * defined in shared/theme.css.
 */
export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

export function themeKind(): ThemeKind {
  const body = document.body.classList;
  if (body.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (body.contains('vscode-high-contrast')) return 'high-contrast';
  if (body.contains('vscode-light')) return 'light';
  if (body.contains('vscode-dark')) return 'dark';
  const fallback = document.documentElement.dataset.pglensTheme;
  return fallback === 'light' || fallback === 'dark' || fallback === 'high-contrast' || fallback === 'high-contrast-light' ? fallback : 'dark';
}

/** Applies a theme outside VS Code (inside it the editor owns the variables). */
export function setStandaloneTheme(kind: ThemeKind): void {
  document.documentElement.dataset.pglensTheme = kind;
  const body = document.body.classList;
  body.remove('vscode-light', 'vscode-dark', 'vscode-high-contrast', 'vscode-high-contrast-light');
  body.add(`vscode-${kind}`);
}

/** Calls `listener` when VS Code switches theme (it rewrites the body classes). */
export function onThemeChange(listener: (kind: ThemeKind) => void): void {
  let last = themeKind();
  new MutationObserver(() => {
    const now = themeKind();
    if (now !== last) listener((last = now));
  }).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}
