/**
 * Messages between the extension (client/src/plan-panel.ts) and the plan visualizer webview
 * (webviews/plan/). Both sides import these types; the view also runs in a plain browser (the standalone
 * HTML of `pglens plan --format html`), where the extension side is absent and messages to it are dropped.
 */
import type { ExplainResult, IndexSuggestion, PlanHint } from './plan';

/** What colours the node cards. */
export type PlanMetric = 'time' | 'cost' | 'rows' | 'buffers';

/** VS Code's theme kinds; in VS Code the body classes say it too, the standalone page relies on this. */
export type PlanViewTheme = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

/** Which plan of the view a node belongs to: the index in `plans`, or the compare side. */
export type PlanRef = { kind: 'single'; index: number } | { kind: 'compare'; side: 'before' | 'after' };

/** The data the view shows: one or more plans (one per statement), or two plans side by side. */
export type PlanViewContent =
  | {
      mode: 'single';
      /** Shown in the toolbar, e.g. the file name or the statement's first line. */
      title: string;
      /** One EXPLAIN result per statement; the view shows one at a time with a picker when there are several. */
      plans: ExplainResult[];
      /** The SQL of each plan, shown beside it (else a plan's own `Query Text`, as auto_explain logs it). */
      statements?: string[];
    }
  | {
      mode: 'compare';
      title: string;
      before: ExplainResult;
      after: ExplainResult;
      /** Captions of the two sides; default `Before` and `After`. */
      labels?: [string, string];
    };

/** Zoom and pan of one graph, as d3-zoom's transform. */
export interface ViewTransform {
  x: number;
  y: number;
  k: number;
}

/** Tabs of the side panel. */
export type PlanViewTab = 'hints' | 'slowest' | 'node' | 'statement' | 'raw';

/**
 * What the view keeps with `setState` and gets back after a reload (and what the panel serializer
 * receives in `deserializeWebviewPanel`): the content itself, so a restored panel needs no extension state.
 */
export interface PlanViewState {
  content: PlanViewContent;
  /** Index of the plan shown when `content.plans` has several. */
  planIndex: number;
  metric: PlanMetric;
  tab: PlanViewTab;
  search: string;
  /** `NodeFigures.id` of the selected node and where it is. */
  selected?: { ref: PlanRef; nodeId: number };
  /** Per graph (`single` or `before`/`after`). */
  transforms: Partial<Record<'single' | 'before' | 'after', ViewTransform>>;
}

/** Extension → view. */
export namespace ToView {
  /** Show these plans (replaces what the view showed; keeps metric and tab). */
  export interface Show {
    type: 'show';
    title: string;
    plans: ExplainResult[];
    statements?: string[];
  }
  /** Show two plans side by side with the deltas of total time and cost. */
  export interface Compare {
    type: 'compare';
    title: string;
    before: ExplainResult;
    after: ExplainResult;
    labels?: [string, string];
  }
  /** Restore a whole saved state (the panel serializer sends it after a reload when the view has none). */
  export interface Restore {
    type: 'restore';
    state: PlanViewState;
  }
  /** Colour theme kind changed (the standalone page; in VS Code the body classes change as well). */
  export interface Theme {
    type: 'theme';
    theme: PlanViewTheme;
  }
  /** Select and centre a node, e.g. from a hover's "show in plan" link. */
  export interface SelectNode {
    type: 'selectNode';
    ref: PlanRef;
    nodeId: number;
  }
  export type Message = Show | Compare | Restore | Theme | SelectNode;
}

/** View → extension. */
export namespace FromView {
  /** The view's script has loaded and listens: the extension sends `show`/`compare` only after it. */
  export interface Ready {
    type: 'ready';
    /** True when the view restored its own state (after a reload) and needs no content. */
    restored: boolean;
  }
  /** The user selected a node (click, hint or search); the extension may reveal its statement. */
  export interface NodeSelected {
    type: 'nodeSelected';
    ref: PlanRef;
    nodeId: number;
  }
  /** Open the raw plan (pretty JSON) of one plan in an editor. */
  export interface OpenRaw {
    type: 'openRaw';
    ref: PlanRef;
  }
  /** The user asked for the index a hint suggests: the extension offers the quick fix (CREATE INDEX). */
  export interface IndexFix {
    type: 'indexFix';
    ref: PlanRef;
    hint: PlanHint;
    index: IndexSuggestion;
  }
  /** Save what the user exported (the extension asks where; the standalone page downloads it itself). */
  export interface Export {
    type: 'export';
    /** `plan.json`, `plan.svg` or `plan.png`. */
    fileName: string;
    /** The file's text (JSON, SVG) or a `data:image/png;base64,` URL. */
    data: string;
  }
  /** An error inside the view (e.g. a plan it could not draw), for the extension's output channel. */
  export interface Error {
    type: 'error';
    message: string;
  }
  export type Message = Ready | NodeSelected | OpenRaw | IndexFix | Export | Error;
}

/** Key of the `<script type="application/json">` element holding the initial content in a standalone page. */
export const PLAN_DATA_ELEMENT_ID = 'pglens-plan-data';
/** The view type of the panel and its serializer. */
export const PLAN_VIEW_TYPE = 'pglens.plan';
