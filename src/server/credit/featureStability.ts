/**
 * Population stability of a credit model's inputs and score: PSI of each feature column, and of the
 * score, between the model's training split and the rows scored or evaluated; the columns above
 * PSI_WARNING named in one warning sentence.
 */
import type { FeatureStability, StabilityReport } from '../../common/evaluationReport';
import { categoricalPsi, numericPsi, PSI_WARNING } from '../metrics/populationStability';
import { isMissing, MAX_CATEGORIES, parseNumber, type FeatureColumn } from './creditColumns';

/** A feature's cell as PSI bins it: a number, a trimmed category, or null when missing or not a number. */
function cellValue(feature: FeatureColumn, cell: string | undefined): number | string | null {
  if (cell === undefined || isMissing(cell)) return null;
  if (feature.kind === 'categorical') return cell.trim();
  return parseNumber(cell) ?? null;
}

/**
 * PSI of each feature. `trainingFeatures` and `actualFeatures` are the same columns in the same order,
 * each with its index in its own file's cells. Identifier-like categorical columns (more than
 * MAX_CATEGORIES values in training) are left out and named in `leftOut`.
 */
export function featureStability(
  trainingFeatures: readonly FeatureColumn[],
  trainingCells: readonly (readonly string[])[],
  actualFeatures: readonly FeatureColumn[],
  actualCells: readonly (readonly string[])[],
): { features: FeatureStability[]; leftOut: string[] } {
  const leftOut: string[] = [];
  const features = trainingFeatures.flatMap((f, k) => {
    const a = actualFeatures[k];
    const expected = trainingCells.map((c) => cellValue(f, c[f.index]));
    const actual = actualCells.map((c) => cellValue(a, c[a.index]));
    if (f.kind === 'categorical') {
      const categories = new Set(expected.filter((v) => v !== null)).size;
      if (categories > MAX_CATEGORIES) {
        leftOut.push(`${f.name} (${categories} distinct values in training: an identifier, not a distribution)`);
        return [];
      }
    }
    const result =
      f.kind === 'categorical'
        ? categoricalPsi(
            expected.map((v) => (v === null ? null : String(v))),
            actual.map((v) => (v === null ? null : String(v))),
          )
        : numericPsi(
            expected.map((v) => (typeof v === 'number' ? v : null)),
            actual.map((v) => (typeof v === 'number' ? v : null)),
          );
    return [{ column: f.name, psi: result.psi, bins: result.bins }];
  });
  return { features, leftOut };
}

/** Below this many rows a file's PSI is mostly sampling noise: shown, never warned about. */
export const MIN_STABILITY_ROWS = 50;

/** The warning for the columns (and score) above PSI_WARNING, or null when none is or the file has too few rows to tell. */
export function stabilityWarning(features: readonly FeatureStability[], score: FeatureStability | null, actualRows: number): string | null {
  const shifted = [...features, ...(score ? [score] : [])].filter((f) => f.psi > PSI_WARNING);
  if (shifted.length === 0 || actualRows < MIN_STABILITY_ROWS) return null;
  return `Population shift: PSI above ${PSI_WARNING} against the training split for ${shifted.map((f) => `${f.column} (${f.psi.toFixed(2)})`).join(', ')}; the model's figures may not hold on this file.`;
}

/** The stability section of a report. */
export function stabilityReport(
  trainingRows: number,
  actualRows: number,
  features: { features: FeatureStability[]; leftOut: string[] },
  score: FeatureStability | null,
): StabilityReport {
  return {
    threshold: PSI_WARNING,
    trainingRows,
    actualRows,
    features: features.features,
    leftOut: features.leftOut,
    score,
    warning: stabilityWarning(features.features, score, actualRows),
  };
}
