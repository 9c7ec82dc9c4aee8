import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import type { ProblemCode } from '../../common/dataset';
import type { JsonlDocumentModel } from '../dataset/documentModel';

const WARNINGS: ReadonlySet<ProblemCode> = new Set(['overlapping-spans', 'unknown-entity']);

/** One diagnostic per problem `finlabel validate` would report, placed on the label it concerns. */
export function toDiagnostics(model: JsonlDocumentModel): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (let line = 0; line < model.lineCount; line++) {
    for (const p of model.analysis(line).problems) {
      const columns = p.columns ?? { start: 0, end: model.line(line).length };
      diagnostics.push({
        range: { start: { line, character: columns.start }, end: { line, character: columns.end } },
        severity: WARNINGS.has(p.code) ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error,
        code: p.code,
        source: 'finlabel',
        message: p.message,
      });
    }
  }
  return diagnostics;
}
