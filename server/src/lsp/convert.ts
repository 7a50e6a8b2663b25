import { CodeActionKind, CompletionItemKind, DiagnosticSeverity, FoldingRangeKind, MarkupKind, SymbolKind } from 'vscode-languageserver';
import type { CodeAction, CompletionItem as LspCompletionItem, Diagnostic, DocumentSymbol, FoldingRange, Hover, Location, Range } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import type { Finding, Severity } from '../../../protocol/findings';
import type { CompletionItem, CompletionKind } from '../features/completion';
import type { DefinitionLocation } from '../features/definition';
import type { Fold } from '../features/folding';
import type { HoverInfo } from '../features/hover';
import type { LintFinding } from '../rules/lint';
import { LineIndex } from '../text/offsets';
import type { StatementSymbol } from '../features/symbols';
import type { StatementCategory } from '../sql/describe';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(finding: Finding): Diagnostic {
  return { range: finding.range, severity: SEVERITY[finding.severity], code: finding.code, source: 'pglens', message: finding.message };
}

const SYMBOL_KIND: Record<StatementCategory, SymbolKind> = {
  table: SymbolKind.Struct,
  index: SymbolKind.Key,
  view: SymbolKind.Interface,
  function: SymbolKind.Function,
  type: SymbolKind.TypeParameter,
  sequence: SymbolKind.Number,
  schema: SymbolKind.Namespace,
  trigger: SymbolKind.Event,
  policy: SymbolKind.Property,
  query: SymbolKind.Method,
  transaction: SymbolKind.Operator,
  other: SymbolKind.Object,
};

export function toDocumentSymbol(symbol: StatementSymbol): DocumentSymbol {
  return { name: symbol.name, kind: SYMBOL_KIND[symbol.category], range: symbol.range, selectionRange: symbol.selectionRange };
}

export function toFoldingRange(fold: Fold): FoldingRange {
  const kind = fold.kind === 'comment' ? FoldingRangeKind.Comment : fold.kind === 'region' ? FoldingRangeKind.Region : undefined;
  return kind ? { startLine: fold.startLine, endLine: fold.endLine, kind } : { startLine: fold.startLine, endLine: fold.endLine };
}

export function toHover(info: HoverInfo, lineIndex: LineIndex): Hover {
  return { contents: { kind: MarkupKind.Markdown, value: info.markdown }, range: lineIndex.rangeOf(info.range.start, info.range.end) };
}

const COMPLETION_KIND: Record<CompletionKind, CompletionItemKind> = {
  schema: CompletionItemKind.Module,
  table: CompletionItemKind.Class,
  view: CompletionItemKind.Interface,
  column: CompletionItemKind.Field,
  function: CompletionItemKind.Function,
  type: CompletionItemKind.TypeParameter,
  keyword: CompletionItemKind.Keyword,
};

export function toCompletionItem(item: CompletionItem): LspCompletionItem {
  return {
    label: item.label,
    kind: COMPLETION_KIND[item.kind],
    detail: item.detail,
    documentation: item.documentation ? { kind: MarkupKind.Markdown, value: item.documentation } : undefined,
    insertText: item.insertText,
    sortText: item.sortText,
  };
}

/** A location in another file: its text gives the line and character of the offsets. */
export function toLocation(location: DefinitionLocation, text: string): Location {
  return { uri: URI.file(location.path).toString(), range: new LineIndex(text).rangeOf(location.start, location.end) };
}

function overlaps(a: Range, b: Range): boolean {
  const before = (x: Range['start'], y: Range['start']): boolean => x.line < y.line || (x.line === y.line && x.character <= y.character);
  return before(a.start, b.end) && before(b.start, a.end);
}

/** The quick fixes of the rule findings under `range`, as LSP code actions with their diagnostic. */
export function toCodeActions(uri: string, findings: LintFinding[], range: Range, lineIndex: LineIndex): CodeAction[] {
  return findings
    .filter((finding) => overlaps(finding.range, range))
    .flatMap((finding) =>
      finding.fixes.map(
        (fix): CodeAction => ({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          isPreferred: fix.preferred === true,
          diagnostics: [toDiagnostic(finding)],
          edit: { changes: { [uri]: fix.edits.map((edit) => ({ range: lineIndex.rangeOf(edit.start, edit.end), newText: edit.newText })) } },
        }),
      ),
    );
}
