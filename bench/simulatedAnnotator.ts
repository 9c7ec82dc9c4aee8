// The simulated annotator: the figure annotators care about. On real labelled data, FinLabel starts with no
// labels; before the simulated annotator labels record i (in file order), count what FinLabel suggests for it
// from what it learned on records < i: suggestions that are exactly gold (accepted: work saved) and the others
// (rejected: work added). The policy is the shipped one:
//   - string matching (src/server/stringMatching): every string labelled in records < i, found again in
//     record i on token boundaries, with its most frequent type, at finlabel.suggestions.stringMatchMinConfidence; the dataset's other records (text, no labels
//     yet) count as occurrences, as in the editor where the whole file is open;
//   - the active model's suggestions after Pre-annotate (the shipped default model, only where its types are the
//     data's: court-judgment paragraphs, not CLUENER), those above its card's confidence threshold and at
//     finlabel.suggestions.modelMinConfidence (default 0.5) or above;
//   - merged into one suggestion per span (mergeSuggestions), as the editor shows them;
//   - with --retrain, background retraining as the server runs it (src/server/training/retrainJob.ts, the
//     same TrainingJobs queue and Python worker): after every --after-labels labels (default 25) a retrain
//     starts on the records labelled so far, on one thread with --training-seconds (default 40), and its
//     model replaces the active one if it is not worse on its dev split. The annotator does not wait: at
//     --seconds-per-record (default 20 s a record) the records labelled while it trains are counted with
//     the model active before, and the next retrain starts once this one has ended.
//
//   npm run build && node out/bench/simulatedAnnotator.js [--data cluener|court] [--records N] [--string-min-confidence X]
//        [--model-min-confidence X] [--retrain] [--after-labels N] [--training-seconds S] [--seconds-per-record S] [--suggestions-out FILE]
//
// --suggestions-out writes, per record, the gold spans and every candidate of the retrained policy before merging
// (source, type, offsets, confidence; model spans above the card's threshold, before the suggestion floor), so that other policies can be studied without retraining again.
//
// Research-only data from ../shared is converted into a temporary folder, never into the repository.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { LabelSchema } from '../src/common/labelSchema';
import { MODEL_SUGGESTION_MIN_CONFIDENCE, STRING_MATCH_MIN_CONFIDENCE, type SuggestionView } from '../src/common/lspProtocol';
import { countRecordSuggestions, suggestionCurve, type RecordSuggestionCount, type TaggedSpan } from '../src/server/evaluation/suggestionTally';
import { EntityPredictor } from '../src/server/inference/entityPredictor';
import { mergeSuggestions } from '../src/server/predictions/mergeSuggestions';
import { offeredAsSuggestion } from '../src/server/predictions/suggestions';
import { recordEntry, type RecordEntry } from '../src/server/stringMatching/recordEntry';
import { recordMatches } from '../src/server/stringMatching/recordMatches';
import { buildStringMatchTable } from '../src/server/stringMatching/stringMatchTable';
import { BertTokenizer } from '../src/server/tokenization/bertTokenizer';
import { loadTokenizerFolder } from '../src/server/tokenization/tokenizerFolder';
import { cliWorker } from '../src/server/cli/cliWorker';
import { stableDevSplit } from '../src/server/training/labelChanges';
import { retrainJob, reviewRetrained, type RetrainReview } from '../src/server/training/retrainJob';
import { TrainingJobs } from '../src/server/training/trainingJobs';
import { WorkerJobs } from '../src/server/worker/workerJobs';

interface GoldRecord {
  text: string;
  gold: TaggedSpan[];
  /** The record's line as the annotator leaves it (its labels), for retraining. */
  line: string;
}

const CLUENER_TYPES = ['address', 'book', 'company', 'game', 'government', 'movie', 'name', 'organization', 'position', 'scene'];
const PALETTE = ['#e8a33d', '#3d8be8', '#4caf50', '#d64545', '#9c27b0', '#00897b', '#795548', '#607d8b', '#c2185b', '#827717'];

const BOUNDS = [25, 50, 100, 200, 400];
/** Other floors for the retrained model's suggestions, counted from the same models in the same run (0: the card's threshold alone). */
const COMPARED_FLOORS = [0, 0.7];
const floorPolicy = (floor: number): string =>
  floor === 0 ? "model suggestions at the card's threshold (no floor)" : `model suggestions at confidence >= ${floor}`;

function readRecords(file: string, schema: LabelSchema): GoldRecord[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const r = JSON.parse(l) as { text: string; labels?: { entity: string; start: number; end: number }[] };
      const gold = (r.labels ?? []).map((x) => ({ start: x.start, end: x.end, tag: schema.resolve(x.entity)?.tag ?? x.entity.toUpperCase() }));
      return { text: r.text, gold, line: l };
    });
}

function loadData(which: string, work: string): { records: GoldRecord[]; schema: LabelSchema; name: string } {
  if (which === 'court') {
    const schema = new LabelSchema();
    return { records: readRecords('../shared/data/court-judgment-loans/dev.jsonl', schema), schema, name: 'court-judgment paragraphs (33)' };
  }
  const out = path.join(work, 'cluener-dev.jsonl');
  spawnSync('node', [path.resolve('dist/cli.js'), 'import', '../shared/data/cluener2020/dev.json', '--from', 'cluener', '-o', out], { stdio: 'ignore' });
  const schema = new LabelSchema(CLUENER_TYPES.map((t, i) => ({ name: t, tag: t.toUpperCase(), color: PALETTE[i], description: '' })));
  return { records: readRecords(out, schema), schema, name: 'CLUENER 2020 dev, file order' };
}

const view = (s: TaggedSpan & { confidence: number | null; source: SuggestionView['source'] }): SuggestionView => ({
  key: `${s.source}:${s.start}:${s.end}:${s.tag}`,
  start: s.start,
  end: s.end,
  entity: s.tag,
  tag: s.tag,
  color: '',
  value: '',
  confidence: s.confidence,
  source: s.source,
});

interface RetrainSettings {
  afterLabels: number;
  trainingSeconds: number;
  secondsPerRecord: number;
}

interface RetrainLog {
  /** The retrain started after the annotator labelled this many records, and its model applies from record `availableAt + 1`. */
  afterRecord: number;
  availableAt: number;
  labelledRecords: number;
  seconds: number;
  reason: string;
  outcome: string;
  review?: RetrainReview;
}

/**
 * Background retraining as the language server runs it (BackgroundRetraining), on the simulated clock:
 * the retrain policy (retrainJob, reviewRetrained) and the training queue are the server's own.
 */
class SimulatedRetraining {
  active: EntityPredictor | undefined;
  private activeDir: string | undefined;
  private pending: { availableAt: number; dir: string; swap: boolean } | undefined;
  private labelsAtLastStart = 0;
  readonly log: RetrainLog[] = [];
  private readonly dataset: string;

  constructor(
    private readonly queue: TrainingJobs,
    private readonly schema: LabelSchema,
    work: string,
    private readonly settings: RetrainSettings,
    initial: { predictor: EntityPredictor; dir: string } | undefined,
  ) {
    this.dataset = path.join(work, 'annotated.jsonl');
    this.active = initial?.predictor;
    this.activeDir = initial?.dir;
  }

  /** Before record `i` (0-based) is shown: a retrain that has ended by now is swapped in if it was not worse. */
  async before(i: number): Promise<void> {
    if (!this.pending || i < this.pending.availableAt) return;
    const { dir, swap } = this.pending;
    this.pending = undefined;
    if (!swap) return;
    const previous = this.activeDir;
    await this.active?.release();
    this.active = await EntityPredictor.load(dir, { precision: 'auto', threads: 1 });
    this.activeDir = dir;
    // The bench keeps only the active model's folder (the server keeps every swapped-in one).
    if (previous && previous.startsWith(path.dirname(this.dataset))) rmSync(previous, { recursive: true, force: true });
  }

  /** After the annotator labelled record `i`: a retrain starts when enough labels came since the last one and none runs. */
  async after(i: number, records: readonly GoldRecord[], labelsSoFar: number): Promise<void> {
    if (this.pending || labelsSoFar - this.labelsAtLastStart < this.settings.afterLabels) return;
    this.labelsAtLastStart = labelsSoFar;
    const labelled = records.slice(0, i + 1).filter((r) => r.gold.length > 0);
    writeFileSync(this.dataset, `${labelled.map((r) => r.line).join('\n')}\n`);
    const split = stableDevSplit(readFileSync(this.dataset, 'utf8'));
    const job = retrainJob(this.activeDir, this.schema, labelled.length, this.settings.trainingSeconds);
    let review: RetrainReview | undefined;
    const started = performance.now();
    const queued = this.queue.start(
      { task: 'entities', datasetUri: pathToFileURL(this.dataset).toString(), base: job.base },
      {
        content: split.train,
        devContent: split.dev,
        hyper: job.hyper,
        review: async (dir, dev) => {
          review = await reviewRetrained(dir, dev, this.schema, this.active);
          return review.swap ? 'swapped in' : 'not swapped in';
        },
      },
    );
    if (!queued.ok) throw new Error(queued.message);
    const ended = await this.queue.whenEnded(queued.job.jobId)!;
    const seconds = (performance.now() - started) / 1000;
    const availableAt = i + 1 + Math.ceil(seconds / this.settings.secondsPerRecord);
    const outcome =
      ended.outcome === 'failed'
        ? `failed: ${ended.message}`
        : ended.outcome === 'cancelled'
          ? 'cancelled'
          : review?.swap
            ? 'swapped in'
            : 'kept the active model';
    this.log.push({ afterRecord: i + 1, availableAt, labelledRecords: labelled.length, seconds, reason: job.reason, outcome, review });
    if (ended.outcome === 'finished') {
      if (review?.swap) this.pending = { availableAt, dir: ended.modelDir, swap: true };
      else rmSync(ended.modelDir, { recursive: true, force: true });
    }
    const last = this.log[this.log.length - 1];
    const figures = review?.comparable
      ? `dev F1 ${review.devF1.active === null ? '–' : review.devF1.active.toFixed(3)} → ${review.devF1.retrained.toFixed(3)}`
      : '';
    console.error(
      `retrain after record ${last.afterRecord}: ${labelled.length} labelled records, ${seconds.toFixed(1)} s, ${job.reason}; ${outcome} ${figures}`,
    );
  }

  async dispose(): Promise<void> {
    await this.active?.release();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      records: { type: 'string' },
      'string-min-confidence': { type: 'string' },
      'model-min-confidence': { type: 'string' },
      retrain: { type: 'boolean' },
      'after-labels': { type: 'string' },
      'training-seconds': { type: 'string' },
      'seconds-per-record': { type: 'string' },
      'suggestions-out': { type: 'string' },
    },
  });
  // finlabel.suggestions.stringMatchMinConfidence: the shipped default unless asked
  const minStringConfidence = values['string-min-confidence'] === undefined ? STRING_MATCH_MIN_CONFIDENCE : Number(values['string-min-confidence']);
  // finlabel.suggestions.modelMinConfidence
  const modelFloor = values['model-min-confidence'] === undefined ? MODEL_SUGGESTION_MIN_CONFIDENCE : Number(values['model-min-confidence']);
  const work = mkdtempSync(path.join(os.tmpdir(), 'finlabel-simulated-annotator-'));
  const data = loadData(values.data ?? 'cluener', work);
  const records = values.records ? data.records.slice(0, Number(values.records)) : data.records;
  const tokenizer = BertTokenizer.from(loadTokenizerFolder('models/tokenizers/bert-base-chinese'));
  const predictor = await EntityPredictor.load('models/default-entities', { threads: 1 });
  const modelTypes = new Set(predictor.model.scheme.types.map((t) => t.tag));
  const modelApplies = records.some((r) => r.gold.some((g) => modelTypes.has(g.tag)));
  const modelSpans = modelApplies ? (await predictor.predictMany(records.map((r) => r.text))).map((p) => p.spans) : records.map(() => []);

  const unlabelled: RecordEntry[] = records.map((r) => recordEntry(tokenizer, r.text, []));
  const labelled: RecordEntry[] = [];
  const policies: Record<string, RecordSuggestionCount[]> = { 'no suggestions': [], 'shipped model alone': [], 'string matching + model (shipped)': [] };
  const RETRAINED = 'string matching + background retraining';
  const retrainSettings: RetrainSettings = {
    afterLabels: Number(values['after-labels'] ?? 25),
    trainingSeconds: Number(values['training-seconds'] ?? 40),
    secondsPerRecord: Number(values['seconds-per-record'] ?? 20),
  };
  const supervisor = values.retrain ? cliWorker() : undefined;
  if (values.retrain && !supervisor) throw new Error('the Python worker package was not found');
  let retraining: SimulatedRetraining | undefined;
  if (supervisor) {
    const workerJobs = new WorkerJobs(supervisor);
    const queue = new TrainingJobs({
      jobs: workerJobs,
      ensureWorker: () => supervisor.ensureStarted(),
      schema: () => data.schema,
      readDataset: (file) => Promise.resolve(readFileSync(file)),
      workspaceFolders: () => [work],
      onProgress: () => undefined,
      onEnded: () => undefined,
    });
    const initial = modelApplies
      ? { predictor: await EntityPredictor.load('models/default-entities', { threads: 1, precision: 'auto' }), dir: path.resolve('models/default-entities') }
      : undefined;
    retraining = new SimulatedRetraining(queue, data.schema, work, retrainSettings, initial);
    policies[RETRAINED] = [];
    for (const floor of COMPARED_FLOORS) policies[`${RETRAINED}, ${floorPolicy(floor)}`] = [];
  }
  // --suggestions-out: every record's candidates before merging (JSON Lines), so other policies can be studied offline
  const dump: string[] = [];
  let labelsSoFar = 0;
  const started = Date.now();
  for (let i = 0; i < records.length; i++) {
    const entries = records.map((r, k) => ({ entry: k < i ? labelled[k] : unlabelled[k], text: r.text }));
    const table = buildStringMatchTable(tokenizer, entries);
    const matches = recordMatches(table, records[i].text, unlabelled[i], tokenizer, []);
    const fromModel = modelSpans[i]
      .filter((s) => offeredAsSuggestion(s.confidence, modelFloor))
      .map((s) => view({ start: s.start, end: s.end, tag: s.tag, confidence: s.confidence ?? 0, source: 'model' }));
    const fromStrings = matches
      .filter((m) => m.confidence >= minStringConfidence)
      .map((m) => view({ start: m.start, end: m.end, tag: m.tag, confidence: m.confidence, source: 'stringMatch' }));
    policies['no suggestions'].push(countRecordSuggestions([], records[i].gold));
    policies['shipped model alone'].push(countRecordSuggestions(fromModel, records[i].gold));
    policies['string matching + model (shipped)'].push(countRecordSuggestions(mergeSuggestions([...fromModel, ...fromStrings]), records[i].gold));
    if (retraining) {
      await retraining.before(i);
      const retrained = retraining.active ? (await retraining.active.predict(records[i].text)).spans : [];
      const predicted = retrained.map((s) => view({ start: s.start, end: s.end, tag: s.tag, confidence: s.confidence, source: 'model' }));
      const fromRetrained = predicted.filter((v) => offeredAsSuggestion(v.confidence, modelFloor));
      policies[RETRAINED].push(countRecordSuggestions(mergeSuggestions([...fromRetrained, ...fromStrings]), records[i].gold));
      if (values['suggestions-out']) {
        const brief = (v: SuggestionView) => ({ start: v.start, end: v.end, tag: v.tag, confidence: v.confidence, source: v.source });
        dump.push(JSON.stringify({ record: i, gold: records[i].gold, model: predicted.map(brief), strings: fromStrings.map(brief) }));
      }
      // What other floors for the model's suggestions would have given, from the same models in the same run.
      for (const floor of COMPARED_FLOORS) {
        const confident = predicted.filter((v) => offeredAsSuggestion(v.confidence, floor));
        policies[`${RETRAINED}, ${floorPolicy(floor)}`].push(countRecordSuggestions(mergeSuggestions([...confident, ...fromStrings]), records[i].gold));
      }
    }
    // the annotator labels record i
    labelled[i] = recordEntry(tokenizer, records[i].text, records[i].gold);
    labelsSoFar += records[i].gold.length;
    await retraining?.after(i, records, labelsSoFar);
  }
  const seconds = (Date.now() - started) / 1000;
  if (values['suggestions-out']) writeFileSync(values['suggestions-out'], `${dump.join('\n')}\n`);

  console.log(`string matches at confidence >= ${minStringConfidence}`);
  console.log(`model suggestions at confidence >= ${modelFloor} (finlabel.suggestions.modelMinConfidence), above the card's threshold`);
  console.log(
    `${data.name}: ${records.length} records, ${records.reduce((n, r) => n + r.gold.length, 0)} gold spans; the shipped model's types ${modelApplies ? 'are' : 'are not'} the data's`,
  );
  console.log(`${(seconds / records.length).toFixed(2)} s a record in all (${os.cpus()[0]?.model ?? 'CPU'}, ${os.cpus().length} cores)`);
  if (retraining) {
    const times = retraining.log.map((r) => r.seconds).sort((a, b) => a - b);
    const swapped = retraining.log.filter((r) => r.outcome === 'swapped in').length;
    console.log(
      `background retraining: after every ${retrainSettings.afterLabels} labels, ${retrainSettings.trainingSeconds} s of training on one thread, an annotator at ${retrainSettings.secondsPerRecord} s a record; ` +
        `${retraining.log.length} retrains, ${swapped} swapped in; time per retrain (start to swap decision) median ${times[Math.floor(times.length / 2)]?.toFixed(1) ?? '–'} s, max ${times[times.length - 1]?.toFixed(1) ?? '–'} s`,
    );
    console.log('\n| retrain | after record | used from record | labelled records | seconds | from | outcome | dev F1 active → retrained |');
    console.log('| ---: | ---: | ---: | ---: | ---: | --- | --- | --- |');
    retraining.log.forEach((r, k) => {
      const figures = r.review?.comparable
        ? `${r.review.devF1.active === null ? '–' : r.review.devF1.active.toFixed(3)} → ${r.review.devF1.retrained.toFixed(3)}`
        : '–';
      console.log(
        `| ${k + 1} | ${r.afterRecord} | ${r.outcome === 'swapped in' ? r.availableAt + 1 : '–'} | ${r.labelledRecords} | ${r.seconds.toFixed(1)} | ${r.reason} | ${r.outcome} | ${figures} |`,
      );
    });
  }
  console.log('');
  console.log('| policy | records | gold spans | suggested exactly (share of gold) | wrong suggestions | wrong per record |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: |');
  for (const [name, counts] of Object.entries(policies)) {
    for (const w of [...suggestionCurve(counts, BOUNDS), { ...suggestionCurve(counts, [])[0], total: true }]) {
      const label = 'total' in w ? 'all' : `${w.from + 1}–${w.to}`;
      const share = w.exactShare === null ? '–' : `${w.exact} (${(w.exactShare * 100).toFixed(1)}%)`;
      console.log(`| ${name} | ${label} | ${w.gold} | ${share} | ${w.wrong} | ${w.wrongPerRecord?.toFixed(2) ?? '–'} |`);
    }
  }
  await predictor.release();
  await retraining?.dispose();
  await supervisor?.dispose();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
