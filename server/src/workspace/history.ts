import * as path from 'node:path';
import type { AnalyzedStatement } from '../document/analyze';
import { analyzeDocument } from '../document/analyze';
import type { MigrationSet } from '../migrations/discover';

/**
 * The up statements of the migrations applied before a file of a set, for rules that need what older
 * migrations did (a column's type, a CHECK validated in the previous migration). Each file is parsed once.
 */
export class MigrationHistory {
  private readonly upStatements = new Map<string, AnalyzedStatement[]>();

  constructor(private readonly readable: (file: string) => string | undefined) {}

  before(set: MigrationSet, file: string): AnalyzedStatement[] {
    const absolute = path.resolve(file);
    const index = set.files.findIndex((migration) => path.resolve(migration.path) === absolute);
    return index <= 0 ? [] : set.files.slice(0, index).flatMap((migration) => this.statementsOf(migration));
  }

  private statementsOf(migration: MigrationSet['files'][number]): AnalyzedStatement[] {
    let statements = this.upStatements.get(migration.path);
    if (!statements) {
      const text = this.readable(migration.path);
      const analysis = text === undefined ? undefined : analyzeDocument(text);
      statements = (analysis?.statements ?? []).filter((statement) => statement.outcome.ok && migration.up.some((section) => statement.segment.start >= section.start && statement.segment.start < section.end));
      this.upStatements.set(migration.path, statements);
    }
    return statements;
  }
}
