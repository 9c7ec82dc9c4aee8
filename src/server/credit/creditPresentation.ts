import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import type { CreditFileStatus } from '../../common/lspProtocol';
import type { CsvRowProblem } from './csvTable';
import type { CsvEncoding } from './csvBytes';
import { imputedText, type Imputation } from './imputation';
import { cellRange, type CreditRow } from './creditRows';
import { reasonsLine, type RowReason } from './rowReasons';

export const NORMAL_LABEL = '正常';
export const HIGH_RISK_LABEL = '高风险';

export const ENCODING_NAMES: Record<CsvEncoding, string> = { 'utf-8': 'UTF-8', 'utf-8-bom': 'UTF-8 with BOM', gbk: 'GBK' };

/** "正常 0.12" / "高风险 0.87": the class at the threshold and P(违约). */
export function scoreLabel(probability: number, threshold: number): string {
  return `${probability >= threshold ? HIGH_RISK_LABEL : NORMAL_LABEL} ${probability.toFixed(2)}`;
}

const STRATEGY_NAMES = { mean: 'mean', median: 'median', mode: 'most frequent value' } as const;

/**
 * The hover of a data row: its score, the fields that raise it most (`reasons`; undefined when they
 * could not be computed), what was imputed and the prompt the model saw.
 */
export function rowHoverMarkdown(
  row: CreditRow,
  probability: number | undefined,
  threshold: number,
  imputation: Imputation,
  fileLine: string,
  reasons?: readonly RowReason[],
): string {
  const parts: string[] = [];
  if (probability === undefined) parts.push(`**FinLabel credit score**: not scored yet`);
  else {
    parts.push(`**FinLabel credit score**: ${scoreLabel(probability, threshold)} (threshold ${threshold})`);
    parts.push(`P(正常) = ${(1 - probability).toFixed(4)} · P(违约) = ${probability.toFixed(4)}`);
    if (reasons)
      parts.push(`${reasonsLine(reasons)}  \n*Each: P(违约) minus P(违约) with that field at its training reference value (the model's imputation value).*`);
  }
  if (row.imputed.length > 0) {
    const filled = row.imputed.map((name) => {
      const fit = imputation.columns.find((c) => c.column === name);
      return fit ? `${name} = ${imputedText(fit)} (${STRATEGY_NAMES[fit.strategy]} of ${fit.fittedOn} training rows)` : name;
    });
    parts.push(`Missing or unparsable, filled with the model's saved values: ${filled.join('; ')}`);
  }
  parts.push(`The prompt the model saw:\n\n\`\`\`text\n${row.prompt}\n\`\`\``);
  parts.push(fileLine);
  return parts.join('\n\n');
}

/** One line about the file: its encoding, the model, and how far scoring got. */
export function fileStatusLine(status: CreditFileStatus, modelDir: string | undefined): string {
  const encoding = status.encoding ? `encoding ${ENCODING_NAMES[status.encoding]}` : 'not on disk';
  const model = modelDir ? ` · model ${modelDir}` : '';
  return `${encoding}${model} · ${status.message}`;
}

/** One diagnostic per reported row or cell, on the cell when the row is on one line. */
export function problemDiagnostics(problems: readonly CsvRowProblem[], header: readonly string[], lineText: (line: number) => string): Diagnostic[] {
  return problems.map((p) => {
    const line = p.line - 1;
    const text = lineText(line);
    const index = p.column === undefined ? -1 : header.indexOf(p.column);
    const cell = index >= 0 ? cellRange(text, index) : undefined;
    const range = cell ?? { start: 0, end: text.length };
    return {
      range: { start: { line, character: range.start }, end: { line, character: range.end } },
      severity: DiagnosticSeverity.Warning,
      code: p.column === undefined ? 'credit-row-cells' : 'credit-cell',
      source: 'finlabel',
      message: `line ${p.line}${index >= 0 ? `, column ${index + 1}` : ''}: ${p.detail}`,
    };
  });
}

/** A single diagnostic at the top of the file, for a problem of the whole file or of the model or worker. */
export function fileDiagnostic(message: string, severity: DiagnosticSeverity, line = 0, code = 'credit-file'): Diagnostic {
  return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, severity, code, source: 'finlabel', message };
}
