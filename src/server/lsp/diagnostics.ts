import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import type { ProblemCode } from '../../common/dataset';
import type { JsonlDocumentModel } from '../dataset/documentModel';

const WARNINGS: ReadonlySet<ProblemCode> = new Set(['overlapping-spans', 'unknown-entity']);
/** What a diagnostic carries for its quick fixes (LSP's Diagnostic.data). */
export interface DiagnosticData {
  line: number;
  labelIndex?: number;
}

/** More diagnostics than this help nobody and slow the Problems panel; the rest are counted. */
export const MAX_DIAGNOSTICS = 2_000;

/** One diagnostic per problem `finlabel validate` would report, placed on the label it concerns. */
export function toDiagnostics(model: JsonlDocumentModel, max = MAX_DIAGNOSTICS): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  let omitted = 0;
  for (let line = 0; line < model.lineCount; line++) {
    const problems = model.problems(line);
    if (problems.length === 0) continue;
    for (const p of problems) {
      if (diagnostics.length >= max) {
        omitted++;
        continue;
      }
      const columns = p.columns ?? { start: 0, end: model.line(line).length };
      diagnostics.push({
        range: { start: { line, character: columns.start }, end: { line, character: columns.end } },
        severity: WARNINGS.has(p.code) ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error,
        code: p.code,
        source: 'finlabel',
        message: p.message,
        data: { line, ...(p.labelIndex !== undefined ? { labelIndex: p.labelIndex } : {}) } satisfies DiagnosticData,
      });
    }
  }
  if (omitted > 0) {
    diagnostics.push({
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      severity: DiagnosticSeverity.Information,
      code: 'more-problems',
      source: 'finlabel',
      message: `${omitted} more problem${omitted === 1 ? '' : 's'} not listed here (the first ${max} are); run "finlabel validate" on the file for all of them`,
    });
  }
  return diagnostics;
}
