// The simulated annotator: the figure annotators care about. On real labelled data, FinLabel starts with no
// labels; before the simulated annotator labels record i (in file order), count what FinLabel suggests for it
// from what it learned on records < i: suggestions that are exactly gold (accepted: work saved) and the others
// (rejected: work added). The policy is the shipped one:
//   - string matching (src/server/stringMatching): every string labelled in records < i, found again in
//     record i on token boundaries, with its most frequent type, at finlabel.suggestions.stringMatchMinConfidence; the dataset's other records (text, no labels
//     yet) count as occurrences, as in the editor where the whole file is open;
//   - the active model's suggestions after Pre-annotate (the shipped default model, at its card's confidence
//     threshold), only where its types are the data's (court-judgment paragraphs, not CLUENER);
//   - merged into one suggestion per span (mergeSuggestions), as the editor shows them.
// Background retraining is not built yet (issue 13): the model does not learn from the records < i here.
//
//   npm run build && node out/bench/simulatedAnnotator.js [--data cluener|court] [--records N] [--string-min-confidence X]
//
// Research-only data from ../shared is converted into a temporary folder, never into the repository.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { LabelSchema } from '../src/common/labelSchema';
import { STRING_MATCH_MIN_CONFIDENCE, type SuggestionView } from '../src/common/lspProtocol';
import { countRecordSuggestions, suggestionCurve, type RecordSuggestionCount, type TaggedSpan } from '../src/server/evaluation/suggestionTally';
import { EntityPredictor } from '../src/server/inference/entityPredictor';
import { mergeSuggestions } from '../src/server/predictions/mergeSuggestions';
import { recordEntry, type RecordEntry } from '../src/server/stringMatching/recordEntry';
import { recordMatches } from '../src/server/stringMatching/recordMatches';
import { buildStringMatchTable } from '../src/server/stringMatching/stringMatchTable';
import { BertTokenizer } from '../src/server/tokenization/bertTokenizer';
import { loadTokenizerFolder } from '../src/server/tokenization/tokenizerFolder';

interface GoldRecord {
  text: string;
  gold: TaggedSpan[];
}

const BOUNDS = [25, 50, 100, 200, 400];

function readRecords(file: string, schema: LabelSchema): GoldRecord[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const r = JSON.parse(l) as { text: string; labels?: { entity: string; start: number; end: number }[] };
      const gold = (r.labels ?? []).map((x) => ({ start: x.start, end: x.end, tag: schema.resolve(x.entity)?.tag ?? x.entity.toUpperCase() }));
      return { text: r.text, gold };
    });
}

function loadData(which: string, work: string): { records: GoldRecord[]; schema: LabelSchema; name: string } {
  if (which === 'court') {
    const schema = new LabelSchema();
    return { records: readRecords('../shared/data/court-judgment-loans/dev.jsonl', schema), schema, name: 'court-judgment paragraphs (33)' };
  }
  const out = path.join(work, 'cluener-dev.jsonl');
  spawnSync('node', [path.resolve('dist/cli.js'), 'import', '../shared/data/cluener2020/dev.json', '--from', 'cluener', '-o', out], { stdio: 'ignore' });
  return { records: readRecords(out, new LabelSchema()), schema: new LabelSchema(), name: 'CLUENER 2020 dev, file order' };
}

const view = (s: TaggedSpan & { confidence: number; source: SuggestionView['source'] }): SuggestionView => ({
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

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { data: { type: 'string' }, records: { type: 'string' }, 'string-min-confidence': { type: 'string' } } });
  // finlabel.suggestions.stringMatchMinConfidence: the shipped default unless asked
  const minStringConfidence = values['string-min-confidence'] === undefined ? STRING_MATCH_MIN_CONFIDENCE : Number(values['string-min-confidence']);
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
  const policies = { 'no suggestions': [] as RecordSuggestionCount[], 'shipped model alone': [] as RecordSuggestionCount[], 'string matching + model (shipped)': [] as RecordSuggestionCount[] };
  const started = Date.now();
  for (let i = 0; i < records.length; i++) {
    const entries = records.map((r, k) => ({ entry: k < i ? labelled[k] : unlabelled[k], text: r.text }));
    const table = buildStringMatchTable(tokenizer, entries);
    const matches = recordMatches(table, records[i].text, unlabelled[i], tokenizer, []);
    const fromModel = modelSpans[i].map((s) => view({ start: s.start, end: s.end, tag: s.tag, confidence: s.confidence ?? 0, source: 'model' }));
    const fromStrings = matches.filter((m) => m.confidence >= minStringConfidence).map((m) => view({ start: m.start, end: m.end, tag: m.tag, confidence: m.confidence, source: 'stringMatch' }));
    policies['no suggestions'].push(countRecordSuggestions([], records[i].gold));
    policies['shipped model alone'].push(countRecordSuggestions(fromModel, records[i].gold));
    policies['string matching + model (shipped)'].push(countRecordSuggestions(mergeSuggestions([...fromModel, ...fromStrings]), records[i].gold));
    // the annotator labels record i
    labelled[i] = recordEntry(tokenizer, records[i].text, records[i].gold);
  }
  const seconds = (Date.now() - started) / 1000;

  console.log(`string matches at confidence >= ${minStringConfidence}`);
  console.log(`${data.name}: ${records.length} records, ${records.reduce((n, r) => n + r.gold.length, 0)} gold spans; the shipped model's types ${modelApplies ? 'are' : 'are not'} the data's`);
  console.log(`string matching rebuilt from scratch before each record: ${(seconds / records.length * 1000).toFixed(1)} ms a record (${os.cpus()[0]?.model ?? 'CPU'}, ${os.cpus().length} cores)\n`);
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
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
