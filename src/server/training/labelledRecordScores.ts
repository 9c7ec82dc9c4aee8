/** Strict span scores of an entity model's predictions against labelled records (the server's own metric). */
import type { LabelSchema } from '../../common/labelSchema';
import type { PredictedEntity } from '../entities/entityDecoding';
import type { EntityLabel } from '../entities/entityEncoding';
import { SpanTally, type SpanEvaluation } from '../metrics/spanMetrics';

export interface LabelledText {
  id?: string;
  text: string;
  labels: readonly EntityLabel[];
}

/** A record whose predictions differ from its gold spans, for the report. */
export interface EvaluationMiss {
  id: string;
  missed: string[];
  spurious: string[];
}

export interface RecordsEvaluation extends SpanEvaluation {
  records: number;
  misses: EvaluationMiss[];
}

/**
 * Predicts every record and tallies strict matches per type (display name). A gold label whose type
 * is not in the schema is an error: the fixture and the model disagree, which a score would hide.
 */
export async function evaluateRecords(
  records: readonly LabelledText[],
  schema: LabelSchema,
  predict: (text: string) => Promise<PredictedEntity[]>,
): Promise<RecordsEvaluation> {
  const tally = new SpanTally();
  for (const t of schema.types) tally.type(t.name);
  const misses: EvaluationMiss[] = [];
  for (const [i, record] of records.entries()) {
    const gold = record.labels.map((l) => {
      const type = schema.resolve(l.entity);
      if (!type) throw new Error(`record ${record.id ?? i + 1}: label type "${l.entity}" is not in the schema`);
      return { type: type.name, start: l.start, end: l.end };
    });
    const predicted = (await predict(record.text)).map((p) => ({ type: p.entity, start: p.start, end: p.end }));
    tally.add(gold, predicted);
    const key = (s: { type: string; start: number; end: number }): string => `${s.type}[${s.start},${s.end})`;
    const goldKeys = new Set(gold.map(key));
    const predKeys = new Set(predicted.map(key));
    const missed = [...goldKeys].filter((k) => !predKeys.has(k));
    const spurious = [...predKeys].filter((k) => !goldKeys.has(k));
    if (missed.length + spurious.length > 0) misses.push({ id: record.id ?? String(i + 1), missed, spurious });
  }
  return { ...tally.evaluate(), records: records.length, misses };
}
