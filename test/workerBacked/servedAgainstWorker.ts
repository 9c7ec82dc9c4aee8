import * as assert from 'node:assert/strict';
import { decodeEntities, type DecodedSpan } from '../../src/server/entities/entityDecoding';
import { encodeEntityRecord, type EntityLabel } from '../../src/server/entities/entityEncoding';
import { fitsShape } from '../../src/server/entities/spanShapes';
import { loadEntityModelFolder } from '../../src/server/inference/entityModelFolder';
import { EntityPredictor } from '../../src/server/inference/entityPredictor';
import type { WorkerJobs } from '../../src/server/worker/workerJobs';

/**
 * Decodes one-window `records` in the server (onnxruntime-node, EntityPredictor) and from the worker's
 * PyTorch label ids for the same inputs (tokens, and word boundaries for a model that reads them);
 * asserts both give the same spans for every record. Returns the server's decodings and how many of
 * the spans are exactly gold.
 */
export async function servedAgainstWorker(
  jobs: WorkerJobs,
  modelDir: string,
  records: readonly { text: string; labels: EntityLabel[] }[],
): Promise<{ served: DecodedSpan[][]; spans: number; correct: number }> {
  const model = loadEntityModelFolder(modelDir);
  const predictor = await EntityPredictor.load(modelDir, { threads: 1 });
  try {
    const served = await predictor.decodeMany(records.map((r) => r.text));
    const encoded = records.map((r) => encodeEntityRecord(model.tokenizer, model.scheme, r, model.windows, model.segmenter));
    const { labelIds } = await jobs.predictEntities({
      modelDir,
      batch: encoded.map((e) => e.inputIds[0]),
      ...(model.segmenter ? { wordBoundaries: encoded.map((e) => e.wordBoundaryIds![0]) } : {}),
    });
    let spans = 0;
    let correct = 0;
    encoded.forEach((e, i) => {
      const key = (s: { entity: string; start: number; end: number }): string => `${s.entity}@${s.start}-${s.end}`;
      // the server also leaves out spans unlike every training span of their type (labels.json's shapes)
      const inWorker = decodeEntities(e, model.scheme, [labelIds[i]])
        .filter((s) => fitsShape(model.spanShapes, s.tag, s.value))
        .map(key)
        .sort();
      assert.deepEqual(served[i].decoded.map(key).sort(), inWorker, `record ${i}: ${records[i].text}`);
      spans += inWorker.length;
      const gold = new Set(records[i].labels.map(key));
      correct += inWorker.filter((k) => gold.has(k)).length;
    });
    return { served: served.map((d) => d.decoded), spans, correct };
  } finally {
    await predictor.release();
  }
}
