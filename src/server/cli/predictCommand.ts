import * as path from 'node:path';
import { isDataset } from '../../common/datasetFiles';
import { LabelSchema } from '../../common/labelSchema';
import { lineRejections, parseDataset } from '../dataset/datasetFile';
import type { PredictedEntity } from '../entities/entityDecoding';
import { EntityModelError, MODEL_PRECISIONS, type ModelPrecision } from '../inference/entityModelFolder';
import { EntityPredictor, type TextPrediction } from '../inference/entityPredictor';
import { documentDepth, outOfDepthReason } from '../predictions/predictionDepth';
import { resolveModelFolder } from '../inference/shippedModelFolders';
import type { CliCommand, CliIo, ExitCode } from './command';
import { parseOptions } from './parseOptions';
import { readInput } from './readInput';
import { normalizedText, type NormalizedValue } from '../../common/normalizedValue';
import { normalizeSpan } from '../normalization/normalizeSpan';

const usage = `Usage: finlabel predict FILE [--model DIR] [--precision auto|fp32|int8] [--min-confidence T] [--json]

Runs an entity model on the CPU (onnxruntime) and prints the spans it finds: for a contract
(.txt or .md) the file's text, for a dataset (.jsonl) each record's "text". Offsets are Unicode
code points of that text, end exclusive. Spans are the best valid BIO tagging of the text (never an
I- without its B-, never punctuation alone); confidence is the span's calibrated confidence (the
model card's calibration of the span's own token probabilities), and spans below the confidence
threshold (the card's, chosen on the model's dev split; 0 for a model without calibration) are
left out, as in the editor. Nothing is written.

  --model DIR  the entity model folder (model.onnx, tokenizer.json, tokenizer_config.json,
               labels.json); default: the shipped models/default-entities
  --precision  which graph to run: auto (default, as the editor does: model.int8.onnx when the
               folder has one, else model.onnx), fp32 (model.onnx) or int8 (model.int8.onnx)
  --min-confidence T
               show spans with a confidence of at least T (0 to 1) instead of the card's threshold
  --json       one JSON object: {"file","model","threshold","depth","spans":[...]} for a contract, or
               {"file","model","threshold","depth","records":[{"line","id","spans":[...]}]} for a
               dataset; each span is {"entity","tag","start","end","value","confidence","normalized"};
               threshold is {"value","source"} (source "card", "option" or "none"), depth how many
               spans fell below it and whether the text looks unlike the model's dev data
               ("outOfDepth"; then stderr says so too); "normalized" is the span's value as data
               (see README: an amount, a duration, a date range, guarantee modes, or
               {"kind":"notUnderstood","reason"}), absent for a type without one

Exit codes: 0 done, 1 some dataset lines are not records (each is reported on stderr, the others
are predicted), 2 the file or the model could not be read (or the file is not UTF-8).
`;

interface RecordPrediction {
  line: number;
  id: unknown;
  spans: ReportedSpan[];
}

/** The dataset's records (parseDataset's: line counted from 1) and the lines that are not records. */
function datasetTexts(content: string, file: string): { records: { line: number; id: unknown; text: string }[]; problems: string[] } {
  // Labels play no part in predicting: the schema only words label problems, which are not reported here.
  const dataset = parseDataset(content, new LabelSchema());
  return {
    records: dataset.records.map(({ line, record }) => ({ line, id: record.id ?? null, text: record.text })),
    problems: lineRejections(dataset).map((p) => `${file}:${p.line}: ${p.message}; skipped`),
  };
}

type ReportedSpan = PredictedEntity & { normalized?: NormalizedValue };

/** The spans as printed: confidence to 4 places, and the normalized value of each span of a type that has one. */
const reportSpans = (spans: PredictedEntity[]): ReportedSpan[] =>
  spans.map((s) => {
    const normalized = normalizeSpan(s.tag, s.value);
    return { ...s, confidence: s.confidence === null ? null : Math.round(s.confidence * 10_000) / 10_000, ...(normalized ? { normalized } : {}) };
  });

function spanLines(prefix: string, spans: readonly ReportedSpan[]): string {
  return spans
    .map(
      (s) =>
        `${prefix}[${s.start}, ${s.end}) ${s.entity} ${s.tag} ${JSON.stringify(s.value)} ${s.confidence === null ? '' : s.confidence.toFixed(3)}${s.normalized ? ` = ${normalizedText(s.normalized)}` : ''}\n`,
    )
    .join('');
}

export const predictCommand: CliCommand = {
  summary: 'run an entity model on a contract (.txt/.md) or each record of a dataset (.jsonl)',
  usage,
  async run(args: string[], io: CliIo): Promise<ExitCode> {
    const parsed = parseOptions(args, {
      json: { type: 'boolean' },
      model: { type: 'string' },
      precision: { type: 'string' },
      'min-confidence': { type: 'string' },
    });
    if (!parsed.ok || parsed.positionals.length !== 1) {
      io.stderr.write(`finlabel predict: ${parsed.ok ? 'expected exactly one FILE' : parsed.message}\n\n${usage}`);
      return 2;
    }
    const precision = (parsed.values.precision as string | undefined) ?? 'auto';
    if (!(MODEL_PRECISIONS as readonly string[]).includes(precision)) {
      io.stderr.write(`finlabel predict: --precision ${precision}: expected one of ${MODEL_PRECISIONS.join(', ')}\n\n${usage}`);
      return 2;
    }
    const minText = parsed.values['min-confidence'] as string | undefined;
    const minConfidence = minText === undefined ? undefined : Number(minText);
    if (minConfidence !== undefined && (minText!.trim() === '' || !(minConfidence >= 0 && minConfidence <= 1))) {
      io.stderr.write(`finlabel predict: --min-confidence must be a number from 0 to 1, got "${minText}"\n\n${usage}`);
      return 2;
    }
    const file = parsed.positionals[0];
    const dataset = isDataset(file);
    if (!dataset && !/\.(txt|md)$/i.test(file)) {
      io.stderr.write(`finlabel predict: ${file}: expected a contract (.txt, .md) or a dataset (.jsonl)\n`);
      return 2;
    }
    const modelDir = resolveModelFolder(parsed.values.model as string | undefined, process.cwd());
    if (!modelDir) {
      io.stderr.write('finlabel predict: no entity model: pass --model DIR (this installation has no models/default-entities)\n');
      return 2;
    }
    const input = await readInput(file);
    if (!input.ok) {
      io.stderr.write(`finlabel predict: ${input.message}\n`);
      return 2;
    }
    let predictor: EntityPredictor;
    try {
      predictor = await EntityPredictor.load(modelDir, { precision: precision as ModelPrecision, minConfidence });
    } catch (err) {
      io.stderr.write(`finlabel predict: ${err instanceof EntityModelError ? err.message : `cannot load the model ${modelDir}: ${(err as Error).message}`}\n`);
      return 2;
    }
    try {
      const model = { name: predictor.model.name, dir: predictor.model.dir, onnx: path.basename(predictor.onnxFile) };
      const source = minConfidence !== undefined ? 'option' : predictor.model.calibration ? 'card' : 'none';
      const threshold = { value: predictor.threshold, source };
      const sourceWords = source === 'option' ? '--min-confidence' : source === 'card' ? "the model card's" : 'the model has no calibration';
      io.stderr.write(`finlabel predict: confidence threshold ${predictor.threshold.toFixed(3)} (${sourceWords})\n`);
      const report = (predicted: readonly TextPrediction[]): ReturnType<typeof documentDepth> => {
        const depth = documentDepth(
          predictor.model.calibration,
          predicted,
          predicted.reduce((s, p) => s + p.spans.length, 0),
          predictor.threshold,
          source === 'option' ? 'setting' : source,
        );
        if (depth.outOfDepth) io.stderr.write(`finlabel predict: ${file}: model out of its depth here: ${outOfDepthReason(depth, 'noise')}\n`);
        return depth;
      };
      const depthJson = (d: ReturnType<typeof documentDepth>): Record<string, unknown> => ({
        candidates: d.candidates,
        lowConfidence: d.lowConfidence,
        expectedLowShare: d.expectedLowShare,
        outOfDepth: d.outOfDepth,
      });
      if (!dataset) {
        const text = input.content.charCodeAt(0) === 0xfeff ? input.content.slice(1) : input.content;
        const predicted = await predictor.predict(text);
        const depth = report([predicted]);
        io.stdout.write(
          parsed.values.json
            ? `${JSON.stringify({ file, model, threshold, depth: depthJson(depth), spans: reportSpans(predicted.spans) }, null, 2)}\n`
            : spanLines(`${file} `, reportSpans(predicted.spans)),
        );
        return 0;
      }
      const { records, problems } = datasetTexts(input.content, file);
      const predicted = await predictor.predictMany(records.map((r) => r.text));
      const depth = report(predicted);
      const out: RecordPrediction[] = records.map((r, i) => ({ line: r.line, id: r.id, spans: reportSpans(predicted[i].spans) }));
      for (const p of problems) io.stderr.write(`${p}\n`);
      io.stdout.write(
        parsed.values.json
          ? `${JSON.stringify({ file, model, threshold, depth: depthJson(depth), records: out }, null, 2)}\n`
          : out.map((r) => spanLines(`${file}:${r.line} `, r.spans)).join(''),
      );
      return problems.length > 0 ? 1 : 0;
    } finally {
      await predictor.release();
    }
  },
};
