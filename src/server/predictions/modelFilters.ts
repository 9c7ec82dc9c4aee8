import type { JsonlDocumentModel } from '../dataset/documentModel';
import { matchingSequence, rankedSequence, recordIndex, type ModelFilterResult } from '../dataset/recordView';
import { spansOfLine } from '../dataset/spanPlacement';
import { disagreements } from './disagreements';
import type { RecordPredictions } from './recordPredictions';

/** An unlabelled record the model has predicted, and how unsure it is. */
export interface RankedRecord {
  /** Position among the document's records (0-based), as the annotation view counts them. */
  index: number;
  line: number;
  minMargin: number;
}

/** The unlabelled records in uncertainty order, and how many of them the model has predicted so far. */
export interface UncertaintyRanking {
  records: RankedRecord[];
  /** Unlabelled records with a text, predicted or not. */
  unlabelled: number;
  /** Of them, the records the model has predicted. */
  scored: number;
}

/**
 * The predicted unlabelled records, most uncertain (lowest token margin) first; ties in document order.
 * Records without tokens (an empty text) have no margin and are left out.
 */
export function uncertaintyRanking(model: JsonlDocumentModel, predictions: RecordPredictions): UncertaintyRanking {
  const index = recordIndex(model);
  const records: RankedRecord[] = [];
  let unlabelled = 0;
  let scored = 0;
  for (let r = 0; r < index.lines.length; r++) {
    if (index.unlabelled[r] !== 1) continue;
    const line = index.lines[r];
    unlabelled++;
    const predicted = predictions.get(model, line);
    if (!predicted) continue;
    scored++;
    if (predicted.minMargin !== null) records.push({ index: r, line, minMargin: predicted.minMargin });
  }
  records.sort((a, b) => a.minMargin - b.minMargin || a.index - b.index);
  return { records, unlabelled, scored };
}

/** The record after the one on `fromLine` in uncertainty order; from a line that is not a ranked record, the most uncertain. */
export function nextUncertain(ranking: UncertaintyRanking, fromLine: number | undefined): RankedRecord | null {
  const at = fromLine === undefined ? -1 : ranking.records.findIndex((r) => r.line === fromLine);
  return ranking.records[at + 1] ?? null;
}

/** Whether the active model's predictions of line `line`'s record differ from its gold labels (undefined: not predicted). */
export function disagreesWithModel(model: JsonlDocumentModel, predictions: RecordPredictions, line: number): boolean | undefined {
  const predicted = predictions.get(model, line);
  if (!predicted) return undefined;
  const gold = spansOfLine(model, line).map((g) => ({ tag: g.tag, entity: g.entity, start: g.start, end: g.end, value: g.value }));
  return disagreements(gold, predicted.spans).length > 0;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** What a model filter leaves out because the model has not predicted every record yet. */
function coverage(scored: number, records: number, what: string): string {
  return scored >= records ? '' : ` (${plural(scored, 'record')} of ${plural(records, what)} predicted so far; choose the filter again to predict the rest)`;
}

interface CachedFilter {
  revision: number;
  storeVersion: number;
  filter: 'uncertain' | 'disagrees';
  modelName: string;
  result: ModelFilterResult;
}
const cache = new WeakMap<JsonlDocumentModel, CachedFilter>();

/**
 * The annotation view's model filters from the predictions made so far: 'uncertain' steps through the
 * unlabelled records most uncertain first, 'disagrees' through the labelled records whose predictions
 * differ from their labels (missed, spurious, wrong type or boundary), in document order. (On an
 * unlabelled record every prediction would "differ": that is what 'uncertain' and pre-annotation are for.) The note says which model and how much
 * of the file it covers. Recomputed only when the document or the predictions changed.
 */
export function modelFilter(
  model: JsonlDocumentModel,
  predictions: RecordPredictions,
  filter: 'uncertain' | 'disagrees',
  modelName: string,
): ModelFilterResult {
  const cached = cache.get(model);
  if (cached && cached.revision === model.revision && cached.storeVersion === predictions.version && cached.filter === filter && cached.modelName === modelName)
    return cached.result;
  let result: ModelFilterResult;
  if (filter === 'uncertain') {
    const ranking = uncertaintyRanking(model, predictions);
    result = {
      sequence: rankedSequence(ranking.records.map((r) => r.index)),
      note: `${plural(ranking.records.length, 'unlabelled record')}, most uncertain first (lowest token margin of ${modelName})${coverage(ranking.scored, ranking.unlabelled, 'unlabelled record')}`,
    };
  } else {
    const index = recordIndex(model);
    const flags = new Uint8Array(index.lines.length);
    let count = 0;
    let records = 0;
    let scored = 0;
    for (let r = 0; r < index.lines.length; r++) {
      if (index.labelled[r] !== 1 || !model.lineFacts(index.lines[r]).hasText) continue;
      records++;
      const differs = disagreesWithModel(model, predictions, index.lines[r]);
      if (differs === undefined) continue;
      scored++;
      if (differs) {
        flags[r] = 1;
        count++;
      }
    }
    result = {
      sequence: matchingSequence(index.lines.length, (r) => flags[r] === 1, count),
      note: `${plural(count, 'labelled record')} where ${modelName} differs from the labels${coverage(scored, records, 'labelled record')}`,
    };
  }
  cache.set(model, { revision: model.revision, storeVersion: predictions.version, filter, modelName, result });
  return result;
}

/** The model filters when no entity model is active: they keep nothing, and say why. */
export function noModelFilter(reason: string): ModelFilterResult {
  return {
    sequence: rankedSequence([]),
    note: `No entity model is active (${reason}): choose one in the FinLabel Models view or set finlabel.entityModel.path.`,
  };
}
