/** The default model's figures (card.json's `defaultModel` section) and its model card in prose (README.md). */
import type { EpochRecord } from '../../common/workerProtocol';
import type { EntityCalibration } from '../calibration/entityCalibration';
import type { DefaultModelRecipe, LeftOutFile, ShippedFile } from './defaultModelRecipe';

export interface EvaluationSummary {
  records: number;
  /** Spans per 1,000 code points of text: the gold labels' and the model's. */
  spansPer1000Chars?: { gold: number; predicted: number };
  micro: { precision: number | null; recall: number | null; f1: number | null };
  types: { type: string; gold: number; predicted: number; matched: number; precision: number | null; recall: number | null; f1: number | null }[];
}

export interface LatencyFigures {
  p50Ms: number;
  p90Ms: number;
  /** Of which tokenization (p50). */
  tokenizeP50Ms: number;
  tokens: number;
  windows: number;
}

export interface DefaultModelReport {
  recipe: DefaultModelRecipe;
  training: {
    trainExamples: number;
    devExamples: number;
    epochs: EpochRecord[];
    bestEpoch: number;
    bestDevMetric: number | null;
    seconds: number;
    device: string;
    samplesPerSecond: number;
  };
  /** The calibration and threshold in force (card.json's "calibration"), and what it was fitted on. */
  calibration: EntityCalibration & { fittedOn: string };
  /** Per model file, per test set (heldOut, handwritten, law). */
  evaluation: Record<string, Record<string, EvaluationSummary>>;
  latency: { input: string; threads: number; repeats: number; cpu: string; cores: number } & Record<string, LatencyFigures | string | number>;
  files: ShippedFile[];
  leftOut: LeftOutFile[];
  /** The graph the editor runs (precision auto): the int8 one only when it shipped, which it does when it is faster. */
  served: string;
  reproduce: string;
}

const SET_NAMES: Record<string, string> = {
  realTest: 'real court-judgment paragraphs the model never saw (the last third of `court-judgment-loans/dev.jsonl`)',
  realCalibration: 'real court-judgment paragraphs that picked the best epoch and the threshold (not trained on)',
  heldOutJudgments: 'held-out generated court-judgment paragraphs (another stream of the generator)',
  heldOut: 'held-out generated records (another stream of the generator, never trained on)',
  handwrittenJudgments: 'hand-written court-judgment-style paragraphs, `test/fixtures/judgments/handwritten-judgments.jsonl`',
  handwritten: 'hand-written clauses, `test/fixtures/clauses/handwritten.jsonl` (phrasings the generator does not produce)',
  law: 'sentences of the PRC Civil Code and related rules, `test/fixtures/clauses/prc-law-sentences.jsonl`',
};

const pct = (x: number | null): string => (x === null ? '–' : (x * 100).toFixed(1));
const mb = (bytes: number): string => (bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1e3))} kB`);

function scoreTable(evaluation: DefaultModelReport['evaluation']): string {
  const rows: string[] = [
    '| test set | file | records | P | R | F1 | 借款金额 F1 | 担保方式 F1 | 还款期限 F1 | spans per 1,000 characters: gold / predicted |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  const sets = Object.keys(Object.values(evaluation)[0] ?? {});
  for (const set of sets) {
    for (const [file, bySet] of Object.entries(evaluation)) {
      const s = bySet[set];
      if (!s) continue;
      const f1 = (name: string): string => pct(s.types.find((t) => t.type === name)?.f1 ?? null);
      rows.push(
        `| ${set} | ${file} | ${s.records} | ${pct(s.micro.precision)} | ${pct(s.micro.recall)} | **${pct(s.micro.f1)}** | ${f1('借款金额')} | ${f1('担保方式')} | ${f1('还款期限')} | ${s.spansPer1000Chars ? `${s.spansPer1000Chars.gold.toFixed(1)} / ${s.spansPer1000Chars.predicted.toFixed(1)}` : '–'} |`,
      );
    }
  }
  return rows.join('\n');
}

/** Which graph the editor runs, and why the other one is or is not in the folder. */
function servedText(r: DefaultModelReport, fp32: LatencyFigures, int8: LatencyFigures): string {
  const speeds = `(p50 ${int8.p50Ms} ms against ${fp32.p50Ms} ms for \`model.onnx\`, see Latency)`;
  if (r.served === 'model.int8.onnx')
    return `The editor runs \`model.int8.onnx\`, \`model.onnx\` with int8 weights (dynamic quantization): it was the faster graph ${speeds}.`;
  return (
    `The editor runs \`model.onnx\` (fp32). Its int8 graph (\`model.int8.onnx\`, dynamic quantization) was slower on this\n` +
    `model ${speeds}:\n` +
    `at hidden size ${r.recipe.base.hiddenSize}, quantizing the activations costs more than the int8 products save. The editor serves\n` +
    `the int8 graph whenever a folder has one, so it is left out (the command above writes it to \`.default-model/trained\`);\n` +
    `its scores below show how far it agrees with fp32. The calibration and threshold are fitted on the served graph.`
  );
}

export function renderDefaultModelReadme(r: DefaultModelReport): string {
  const base = r.recipe.base;
  const total = r.files.reduce((s, f) => s + f.bytes, 0);
  const lat = (file: string): LatencyFigures => r.latency[file] as LatencyFigures;
  const fp32 = lat('model.onnx');
  const int8 = lat('model.int8.onnx');
  const tooLarge = r.leftOut.filter((f) => f.why === 'size');
  const epochs = r.training.epochs.map((e) => `epoch ${e.epoch}: loss ${e.trainLoss.toFixed(4)}, dev F1 ${pct(e.devMetric)}`).join('; ');
  const sets = Object.keys(Object.values(r.evaluation)[0] ?? {})
    .map((s) => `  - **${s}**: ${SET_NAMES[s] ?? s}`)
    .join('\n');
  const cal = r.calibration;
  const reliability = cal.reliability
    .filter((b) => b.count > 0)
    .map((b) => `| ${b.from.toFixed(1)}–${b.to.toFixed(1)} | ${b.count} | ${pct(b.meanConfidence)} | ${pct(b.precision)} |`)
    .join('\n');
  return `# Default entity model (借款金额, 担保方式, 还款期限)

The model FinLabel uses when a workspace has not trained its own: a small BERT token classifier
(BIO tags of the three default label types), trained from random weights by the project's own
Python worker, exported to ONNX and run by onnxruntime-node in the language server. It is trained
mostly on generated court-judgment fact paragraphs that carry what real judgments do (the principal
beside interest, fees, deposits and collateral values; the loan term beside 保证期间 and event dates;
guarantee modes in contract names; masked parties next to numbers; sentences without 。), labelled as
the court-judgment guidelines define the types. Everything here is written by one command:

    ${r.reproduce}

(builds, generates the data, trains through the worker on CUDA when present, else on the CPU, calibrates,
tests, and rewrites this folder; the same seed gives the same data and the same starting weights, and the
test figures of a retrained model land close to these, not necessarily on them).

## Data
- Training: ${r.recipe.train.judgments} generated court-judgment fact paragraphs (\`src/server/samples/judgments.ts\`)
  and ${r.recipe.train.records.total} generated due-diligence, contract and credit-approval records (seed ${r.recipe.seed}),
  plus, when \`${r.recipe.real.file}\` is beside the repository, a third of its real paragraphs (split by a hash of
  their ids) repeated ${r.recipe.real.oversample} times. The best epoch is picked on ${r.recipe.dev.judgments + r.recipe.dev.records.total}
  generated dev records and the second third of the real paragraphs (${r.training.trainExamples} training windows,
  ${r.training.devExamples} dev windows). The last third of the real paragraphs is never seen: it is the real-text test.
  ${sets.includes('realTest') ? 'This model was built with them: the realTest rows below are its figures on real text it never saw.' : 'This model was built without them (the file was not there): it has seen generated and hand-written text only.'}
- Tests:
${sets}

## Model and files
BERT, ${base.layers} layers, hidden ${base.hiddenSize}, ${base.heads} heads, intermediate ${base.intermediateSize},
at most ${base.maxPositions} positions, the 21,128-token bert-base-chinese vocabulary (\`tokenizer.json\`);
texts longer than ${r.recipe.windows.maxLength - 2} tokens are cut into windows that overlap by ${r.recipe.windows.overlap} tokens. ${r.files.length} files, ${mb(total)} in all (limit 20 MB):

${r.files.map((f) => `- \`${f.name}\` ${mb(f.bytes)}`).join('\n')}
- \`card.json\`: data, split, hyperparameters, epochs, the figures below, versions.

${servedText(r, fp32, int8)}
${tooLarge.length > 0 ? `\nLeft out to stay under 20 MB: ${tooLarge.map((f) => `\`${f.name}\` (${mb(f.bytes)})`).join(', ')}; the ONNX files hold the same weights, and the command above writes the full folder to \`.default-model/trained\`.\n` : ''}
## Training
${r.training.device}, ${r.training.seconds.toFixed(0)} s, ${r.training.samplesPerSecond.toFixed(1)} windows/s; learning rate ${r.recipe.hyper.learningRate},
batch ${r.recipe.hyper.batchSize}, up to ${r.recipe.hyper.epochs} epochs (${epochs}); best epoch ${r.training.bestEpoch}.

## Scores
Strict span match (same type, same start, same end), the server's own metric (\`src/server/metrics/spanMetrics.ts\`), in %:

${scoreTable(r.evaluation)}

## Calibration and threshold
A span's raw score is the geometric mean of its tokens' tag probabilities on the best BIO path (constrained
decoding: no I- without its B-; spans of punctuation or whitespace only are dropped). Platt scaling maps it
to a confidence, fitted on ${cal.fittedOn} (${cal.dev.records} records, ${cal.dev.goldSpans} gold spans,
${cal.dev.candidateSpans} candidate spans); the threshold ${cal.threshold.toFixed(3)} gave the best micro F1 there
(${pct(cal.dev.all.f1)} with every candidate, ${pct(cal.dev.atThreshold.f1)} at the threshold). Brier score ${cal.brier?.toFixed(3) ?? '–'}
(raw scores ${cal.brierRaw?.toFixed(3) ?? '–'}). Spans below the threshold are not shown (\`finlabel.predictions.confidenceThreshold\`
overrides it). Reliability on that set:

| confidence | spans | mean confidence % | correct % |
|---|---|---|---|
${reliability}

## Latency
Whole-text prediction (tokenization, every window in one ONNX Runtime batch, decoding) of ${r.latency.input}
(${fp32.tokens} tokens, ${fp32.windows} windows), ${r.latency.threads} threads, median of ${r.latency.repeats} runs
on ${r.latency.cpu} (${r.latency.cores} cores): \`model.onnx\` p50 ${fp32.p50Ms} ms (p90 ${fp32.p90Ms} ms),
\`model.int8.onnx\` p50 ${int8.p50Ms} ms (p90 ${int8.p90Ms} ms). Tokenizing the text takes ${fp32.tokenizeP50Ms} ms of that.

## Limits
- Trained from random weights (no pretrained Chinese BERT is available offline): it knows characters only
  through the training text, mostly generated. Real judgments, contracts and reports word things the
  generator never wrote; the real-text rows above are the figures to trust, and a team's own labelled
  data (FinLabel: Train Entity Model) is the way to a model for its documents.
- Which amount is the loan's is the hard part: it confuses the principal with other amounts whose context
  words it has not seen, and a loan term with other durations next to 借款 (a guarantee period written
  without 保证期间).
- The three default types only; a workspace with its own label schema needs its own model.
`;
}
