/**
 * The stability warning of a credit CSV open in the editor: PSI of each feature between the model's
 * training split (reproduced once per model from card.json) and the file's rows, named in the status
 * bar above PSI_WARNING. The score's PSI is the evaluation report's (it needs the training split
 * scored).
 */
import { featureStability, stabilityWarning } from './featureStability';
import { trainingFileReader, trainingSplit, type TrainingSplit } from './trainingSplit';
import { readModelCard } from '../evaluation/modelCard';
import type { CreditModel } from './creditModelFolder';
import type { CreditFileRows } from './creditRows';

type Reference = TrainingSplit | { reason: string };

/** The training split of each model (by its key), read once. */
export class TrainingReferences {
  private readonly byKey = new Map<string, Reference>();

  of(model: CreditModel): Reference {
    let found = this.byKey.get(model.key);
    if (!found) {
      try {
        found = trainingSplit(readModelCard(model.dir).data, model.settings.columns.label.name, trainingFileReader(model.dir));
      } catch (err) {
        found = { reason: `the training split cannot be read: ${(err as Error).message}` };
      }
      this.byKey.clear();
      this.byKey.set(model.key, found);
    }
    return found;
  }
}

/** The warning naming the features shifted past PSI_WARNING in `rows`, or null (none, too few rows, or no training split to compare with). */
export function fileShiftWarning(model: CreditModel, reference: Reference, rows: CreditFileRows): string | null {
  if ('reason' in reference) return null;
  const features = model.settings.columns.features;
  const trainingLayout = features.map((f) => ({ ...f, index: reference.header.indexOf(f.name) }));
  const fileLayout = features.map((f) => ({ ...f, index: rows.header.indexOf(f.name) }));
  if (trainingLayout.some((f) => f.index < 0) || fileLayout.some((f) => f.index < 0)) return null;
  const { features: psi } = featureStability(
    trainingLayout,
    reference.rows.map((r) => r.row.cells),
    fileLayout,
    rows.rows.map((r) => r.cells),
  );
  return stabilityWarning(psi, null, rows.rows.length);
}
