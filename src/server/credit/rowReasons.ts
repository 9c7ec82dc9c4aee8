/**
 * Reasons per scored row: which of its fields raise its P(违约) most. Each feature in turn is set to
 * the model's training reference value (the saved imputation value: mean, median or most frequent
 * category of the training split) and the row is scored again; a field's contribution is
 * P(违约) of the row minus P(违约) with that field at its reference. The counterfactual prompts go
 * through the same probability cache and batches as the rows themselves, so the result is exactly
 * as deterministic as the scores.
 */
import { isMissing } from './creditColumns';
import { promptRow, settingsForHeader, type CreditPromptRow } from './creditDataset';
import { imputedText } from './imputation';
import type { CreditModel } from './creditModelFolder';
import type { CreditProbabilities, PromptToScore, ScoreBatch } from './creditProbabilities';

/** Contributions below this are not named: below what a probability printed to three decimals shows. */
export const MIN_REASON_DELTA = 0.001;

/** Reasons shown per row in the hover and written by `finlabel score` by default. */
export const DEFAULT_REASONS = 3;

export interface RowReason {
  column: string;
  /** The row's own value, and the reference it was compared with, as written in the prompt. */
  value: string;
  reference: string;
  /** P(违约) of the row minus P(违约) with this field at its reference. */
  delta: number;
}

/** One counterfactual of a row: the prompt with `column` at its training reference value. */
export interface Counterfactual extends PromptToScore {
  column: string;
  value: string;
  reference: string;
}

/**
 * The row's counterfactual prompts, one per feature whose value differs from its reference (a field
 * already at its reference, or missing and so imputed, cannot be a reason). `header` is the header of
 * the row's file.
 */
export function counterfactuals(model: CreditModel, header: readonly string[], row: CreditPromptRow): Counterfactual[] {
  const settings = settingsForHeader(model.settings, header);
  const out: Counterfactual[] = [];
  for (const f of settings.columns.features) {
    const fit = settings.imputation.columns.find((c) => c.column === f.name);
    const cell = row.cells[f.index];
    if (!fit || f.index < 0 || cell === undefined || isMissing(cell) || fit.value === null) continue;
    const reference = imputedText(fit);
    if (cell.trim() === reference || (f.kind !== 'categorical' && Number(cell) === fit.value)) continue;
    const cells = [...row.cells];
    // An empty cell is filled with the reference value, exactly as a missing one would be.
    cells[f.index] = '';
    const p = promptRow(settings, model.tokenizer, row.line, cells, row.label);
    out.push({ column: f.name, value: cell.trim(), reference, prompt: p.prompt, inputIds: p.inputIds });
  }
  return out;
}

/** The fields that raise P(违约) most, largest first (ties in column order), at most `count`, each by at least MIN_REASON_DELTA. */
export function topReasons(probability: number, rowCounterfactuals: readonly Counterfactual[], probabilities: CreditProbabilities, count: number): RowReason[] {
  return rowCounterfactuals
    .map((c, order) => ({ column: c.column, value: c.value, reference: c.reference, delta: probability - probabilities.get(c.prompt)!, order }))
    .filter((r) => r.delta >= MIN_REASON_DELTA)
    .sort((a, b) => b.delta - a.delta || a.order - b.order)
    .slice(0, count)
    .map(({ column, value, reference, delta }) => ({ column, value, reference, delta }));
}

/** Scores every counterfactual of `rows` (in batches, cached) and returns each row's reasons by line. */
export async function rowReasons(
  model: CreditModel,
  header: readonly string[],
  rows: readonly CreditPromptRow[],
  probabilities: CreditProbabilities,
  score: ScoreBatch,
  count = DEFAULT_REASONS,
): Promise<Map<number, RowReason[]>> {
  const byRow = rows.map((r) => ({ row: r, counterfactuals: counterfactuals(model, header, r) }));
  await probabilities.fill([...rows, ...byRow.flatMap((r) => r.counterfactuals)], score);
  return new Map(byRow.map(({ row, counterfactuals: c }) => [row.line, topReasons(probabilities.get(row.prompt)!, c, probabilities, count)]));
}

/** "纳税额(万元)" -> ["纳税额", "万元"]; a name without a unit in brackets -> [name, ""]. */
function nameAndUnit(column: string): [string, string] {
  const m = /^(.*?)\s*[(（]([^()（）]*)[)）]\s*$/.exec(column);
  return m ? [m[1], m[2]] : [column, ''];
}

/** "纳税额 18万元 (+0.21)"; a contribution under 0.01 with three decimals ("+0.004"), so it does not read as +0.00. */
export function reasonText(r: RowReason): string {
  const [name, unit] = nameAndUnit(r.column);
  return `${name} ${r.value}${unit} (+${r.delta.toFixed(r.delta < 0.01 ? 3 : 2)})`;
}

/** "主要原因: 纳税额 18万元 (+0.21), 经营年限 1年 (+0.09)", or that no field raises it. */
export function reasonsLine(reasons: readonly RowReason[]): string {
  return reasons.length === 0
    ? `主要原因: no field raises P(违约) by ${MIN_REASON_DELTA} or more over its training reference value`
    : `主要原因: ${reasons.map(reasonText).join(', ')}`;
}
