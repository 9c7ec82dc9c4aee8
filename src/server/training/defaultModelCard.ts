/** The default model's figures (card.json's `defaultModel` section) and its model card in prose (README.md). */
import type { EpochRecord } from '../../common/workerProtocol';
import type { DefaultModelRecipe, ShippedFile } from './defaultModel';

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
  training: { trainExamples: number; devExamples: number; epochs: EpochRecord[]; bestEpoch: number; bestDevMetric: number | null; seconds: number; device: string; samplesPerSecond: number };
  /** Per model file, per test set (heldOut, handwritten, law). */
  evaluation: Record<string, Record<string, EvaluationSummary>>;
  latency: { input: string; threads: number; repeats: number; cpu: string; cores: number } & Record<string, LatencyFigures | string | number>;
  files: ShippedFile[];
  leftOut: ShippedFile[];
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
  const rows: string[] = ['| test set | file | records | P | R | F1 | 借款金额 F1 | 担保方式 F1 | 还款期限 F1 | spans per 1,000 characters: gold / predicted |', '|---|---|---|---|---|---|---|---|---|---|'];
  const sets = Object.keys(Object.values(evaluation)[0] ?? {});
  for (const set of sets) {
    for (const [file, bySet] of Object.entries(evaluation)) {
      const s = bySet[set];
      if (!s) continue;
      const f1 = (name: string): string => pct(s.types.find((t) => t.type === name)?.f1 ?? null);
      rows.push(`| ${set} | ${file} | ${s.records} | ${pct(s.micro.precision)} | ${pct(s.micro.recall)} | **${pct(s.micro.f1)}** | ${f1('借款金额')} | ${f1('担保方式')} | ${f1('还款期限')} | ${s.spansPer1000Chars ? `${s.spansPer1000Chars.gold} / ${s.spansPer1000Chars.predicted}` : '–'} |`);
    }
  }
  return rows.join('\n');
}

export function renderDefaultModelReadme(r: DefaultModelReport): string {
  const base = r.recipe.base;
  const total = r.files.reduce((s, f) => s + f.bytes, 0);
  const lat = (file: string): LatencyFigures => r.latency[file] as LatencyFigures;
  const fp32 = lat('model.onnx');
  const int8 = lat('model.int8.onnx');
  const epochs = r.training.epochs.map((e) => `epoch ${e.epoch}: loss ${e.trainLoss.toFixed(4)}, dev F1 ${pct(e.devMetric)}`).join('; ');
  const sets = Object.keys(Object.values(r.evaluation)[0] ?? {}).map((s) => `  - **${s}**: ${SET_NAMES[s] ?? s}`).join('\n');
  return `# Default entity model (借款金额, 担保方式, 还款期限)

The model FinLabel uses when a workspace has not trained its own: a small BERT token classifier
(BIO tags of the three default label types), trained from random weights by the project's own
Python worker on text from the project's own sample generator, exported to ONNX and run by
onnxruntime-node in the language server. Everything here is written by one command:

    ${r.reproduce}

(builds, generates the data, trains through the worker on CUDA when present, else on the CPU, tests,
and rewrites this folder; the same seed gives the same data and the same starting weights, and the
test figures of a retrained model land close to these, not necessarily on them).

## Data
- Training: ${r.recipe.train.judgments} generated court-judgment fact paragraphs (\`src/server/samples/judgments.ts\`)
  and ${r.recipe.train.records.total} generated due-diligence, contract and credit-approval records (seed ${r.recipe.seed}),
  plus, when \`${r.recipe.real.file}\` is beside the repository, a third of its real paragraphs (split by a hash of
  their ids) repeated ${r.recipe.real.oversample} times. The best epoch is picked on ${r.recipe.dev.judgments + r.recipe.dev.records.total}
  generated dev records and the second third of the real paragraphs (${r.training.trainExamples} training windows,
  ${r.training.devExamples} dev windows). The last third of the real paragraphs is never seen: it is the real-text test.
- Tests:
${sets}

## Model and files
BERT, ${base.layers} layers, hidden ${base.hiddenSize}, ${base.heads} heads, intermediate ${base.intermediateSize},
at most ${base.maxPositions} positions, the 21,128-token bert-base-chinese vocabulary (\`tokenizer.json\`);
texts longer than 510 tokens are cut into overlapping windows. ${r.files.length} files, ${mb(total)} in all (limit 20 MB):

${r.files.map((f) => `- \`${f.name}\` ${mb(f.bytes)}`).join('\n')}
- \`card.json\`: data, split, hyperparameters, epochs, the figures below, versions.
${r.leftOut.length > 0 ? `\nLeft out to stay under 20 MB: ${r.leftOut.map((f) => `\`${f.name}\` (${mb(f.bytes)})`).join(', ')}; the ONNX files hold the same weights, and the command above writes the full folder to \`.default-model/trained\`.\n` : ''}
\`model.int8.onnx\` is \`model.onnx\` with int8 weights (dynamic quantization).

## Training
${r.training.device}, ${r.training.seconds.toFixed(0)} s, ${r.training.samplesPerSecond.toFixed(1)} windows/s; learning rate ${r.recipe.hyper.learningRate},
batch ${r.recipe.hyper.batchSize}, up to ${r.recipe.hyper.epochs} epochs (${epochs}); best epoch ${r.training.bestEpoch}.

## Scores
Strict span match (same type, same start, same end), the server's own metric (\`src/server/metrics/spanMetrics.ts\`), in %:

${scoreTable(r.evaluation)}

## Latency
Whole-text prediction (tokenization, every window in one ONNX Runtime batch, decoding) of ${r.latency.input}
(${fp32.tokens} tokens, ${fp32.windows} windows), ${r.latency.threads} threads, median of ${r.latency.repeats} runs
on ${r.latency.cpu} (${r.latency.cores} cores): \`model.onnx\` p50 ${fp32.p50Ms} ms (p90 ${fp32.p90Ms} ms),
\`model.int8.onnx\` p50 ${int8.p50Ms} ms (p90 ${int8.p90Ms} ms). Tokenizing the text takes ${fp32.tokenizeP50Ms} ms of that.

## Limits
- It has only seen generated text: the generator's sentence patterns, amount, period and guarantee forms.
  The hand-written clauses measure how it does on phrasings it never saw; expect it to miss entities in
  unusual wording, and to confuse the loan amount with other amounts (interest, fees, capital) when the
  context words differ from the generator's. Train on your own labelled data for real use.
- Precision is below recall: most errors are stray one- or two-character spans (a lone 保 of 担保, a
  comma inside a numeral, 个月 without its number) and distractor amounts or dates taken for the loan's.
  Entities split across words it never saw (两千万元, RMB800万元短期) lose their boundaries.
- On statute text it finds the guarantee types the law names but also labels its durations and
  thresholds, which are not repayment periods: the law sentences' 还款期限 F1 is 0 because they have
  none and the model predicts some.
- The dev F1 was still rising in the last epochs: more epochs (\`hyper.epochs\` in the recipe) give a
  better model at the cost of training time.
- The three default types only; a workspace with its own label schema needs its own model.
- Random-weight start (no pretrained Chinese BERT): it knows characters only through the training text.
`;
}
