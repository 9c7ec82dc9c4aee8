import type { EvaluateEntitiesParams, EvaluationResult, TokenExample } from '../../common/workerProtocol';
import { SpanTally, type SpanEvaluation } from '../metrics/spanMetrics';
import type { BertTokenizer } from '../tokenization/bertTokenizer';
import type { WordSegmenter } from '../tokenization/wordSegmenter';
import type { BioScheme } from './bioScheme';
import { decodeEntities, PredictionShapeError } from './entityDecoding';
import { encodeEntityRecord, type EncodedEntityRecord, type EncodingProblem, type EntityLabel } from './entityEncoding';
import type { WindowOptions } from './tokenWindows';

/** Records encoded for one split: the examples the worker gets, in order, and what decoding needs. */
export interface EncodedEntitySplit {
  scheme: BioScheme;
  records: EncodedEntityRecord[];
  /** Every record's windows, record after record: the order the worker sends predictions back in. */
  examples: TokenExample[];
  /** Problems with the record's index in the input. */
  problems: (EncodingProblem & { record: number })[];
}

export function encodeEntitySplit(
  tokenizer: BertTokenizer,
  scheme: BioScheme,
  records: readonly { text: string; labels: readonly EntityLabel[] }[],
  windowOptions?: WindowOptions,
  segmenter?: WordSegmenter,
): EncodedEntitySplit {
  const encoded = records.map((r) => encodeEntityRecord(tokenizer, scheme, r, windowOptions, segmenter));
  return {
    scheme,
    records: encoded,
    examples: encoded.flatMap((r) => r.examples),
    problems: encoded.flatMap((r, record) => r.problems.map((p) => ({ ...p, record }))),
  };
}

/** Strict span scores of predicted label ids (one row per example of the split, in order) against the gold spans. */
export function scoreEntityPredictions(split: EncodedEntitySplit, predictions: readonly (readonly number[])[]): SpanEvaluation {
  if (predictions.length !== split.examples.length) {
    throw new PredictionShapeError(`${predictions.length} predicted examples for a dev set of ${split.examples.length}`);
  }
  const tally = new SpanTally();
  for (const t of split.scheme.types) tally.type(t.name);
  let next = 0;
  for (const record of split.records) {
    const rows = predictions.slice(next, next + record.windows.length);
    next += record.windows.length;
    const predicted = decodeEntities(record, split.scheme, rows).map((p) => ({ type: p.entity, start: p.start, end: p.end }));
    tally.add(
      record.gold.map((g) => ({ type: g.type.name, start: g.start, end: g.end })),
      predicted,
    );
  }
  return tally.evaluate();
}

/** The server's answer to the worker's evaluate/entities callback: micro strict span F1 of the dev predictions. */
export function evaluateEntities(devSet: EncodedEntitySplit, params: EvaluateEntitiesParams): EvaluationResult {
  const scores = scoreEntityPredictions(devSet, params.predictions);
  return {
    metric: scores.micro.f1 ?? 0,
    name: 'micro span F1',
    details: {
      epoch: params.epoch,
      precision: scores.micro.precision,
      recall: scores.micro.recall,
      macroF1: scores.macro.f1,
      types: scores.types,
      ...(scores.micro.f1 === null ? { note: 'no gold and no predicted span in the dev set: F1 is undefined, reported as 0' } : {}),
    },
  };
}
