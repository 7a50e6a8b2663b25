/**
 * `acquireVsCodeApi()` when the page runs in a VS Code webview, else a stand-in so the same bundle runs in
 * a plain browser (the standalone HTML export, Playwright tests): state goes to sessionStorage and
 * messages to `window.pglensPosted`, where tests read them.
 */
interface VsCodeApi<State, Message> {
  postMessage(message: Message): void;
  getState(): State | undefined;
  setState(state: State): void;
}

declare function acquireVsCodeApi<State, Message>(): VsCodeApi<State, Message>;

declare global {
  interface Window {
    /** Messages posted by the view outside VS Code, oldest first. */
    pglensPosted?: unknown[];
  }
}

export interface Host<State, Message> extends VsCodeApi<State, Message> {
  /** True inside VS Code. */
  readonly inVsCode: boolean;
}

export function acquireHost<State, Message>(storageKey: string): Host<State, Message> {
  if (typeof acquireVsCodeApi === 'function') {
    const api = acquireVsCodeApi<State, Message>();
    return { inVsCode: true, postMessage: (m) => api.postMessage(m), getState: () => api.getState(), setState: (s) => api.setState(s) };
  }
  const posted: unknown[] = (window.pglensPosted = []);
  // file:// pages share one origin: key the state by the page so another export does not restore this one.
  storageKey = `${storageKey}:${location.pathname}`;
  return {
    inVsCode: false,
    postMessage: (message) => void posted.push(message),
    getState: () => {
      try {
        const text = sessionStorage.getItem(storageKey);
        return text ? (JSON.parse(text) as State) : undefined;
      } catch {
        return undefined;
      }
    },
    setState: (state) => {
      try {
        sessionStorage.setItem(storageKey, JSON.stringify(state));
      } catch {
        // Storage full or disabled (file:// pages in some browsers): state is then only kept in memory.
      }
    },
  };
}
