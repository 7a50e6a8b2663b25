import { DiagnosticSeverity, FoldingRangeKind, SymbolKind } from 'vscode-languageserver';
import type { Diagnostic, DocumentSymbol, FoldingRange } from 'vscode-languageserver';
import type { Finding, Severity } from '../../../protocol/findings';
import type { Fold } from '../features/folding';
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
