import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LabelSchema } from '../../src/common/labelSchema';
import { JsonlDocumentModel } from '../../src/server/dataset/documentModel';
import { BioScheme } from '../../src/server/entities/bioScheme';
import { recordTextKey } from '../../src/server/predictions/recordPredictions';
import { countLabelChanges, DatasetLabelKeys, labelledRecordsContent, stableDevSplit } from '../../src/server/training/labelChanges';
import { CONTINUED_BILSTM_LEARNING_RATE, retrainBase } from '../../src/server/training/retrainBase';

const schema = new LabelSchema();
const line = (text: string, labels: [number, number, string][] | null): string =>
  JSON.stringify({ text, ...(labels ? { labels: labels.map(([start, end, entity]) => ({ start, end, entity })) } : {}) });

function modelOf(lines: string[]): JsonlDocumentModel {
  const model = new JsonlDocumentModel(schema);
  model.reset(TextDocument.create('file:///d.jsonl', 'jsonl', 1, lines.join('\n')));
  return model;
}

const textKeyOf = (model: JsonlDocumentModel, i: number): string | null => {
  const text = model.analysis(i).text;
  return text ? recordTextKey(text.map.decoded) : null;
};

describe('background retraining: what counts as a label change', () => {
  const before = [line('借款金额500万元', [[4, 9, '借款金额']]), line('保证担保', [[0, 4, '担保方式']]), line('无标注', null)];

  it('counts added, removed and retyped labels, each change once, and ignores moves and reformatting', () => {
    const keys = new DatasetLabelKeys(textKeyOf);
    const baseline = keys.keysOf(modelOf(before));
    assert.equal(baseline.size, 2);
    // the same records in another order, one with its keys spaced differently: nothing changed
    const moved = [before[2], `{ "labels": [{"start": 0, "end": 4, "entity": "担保方式"}], "text": "保证担保" }`, before[0]];
    assert.equal(countLabelChanges(baseline, keys.keysOf(modelOf(moved))), 0);
    // one label added to the unlabelled record
    const added = [before[0], before[1], line('无标注', [[0, 1, '借款金额']])];
    assert.equal(countLabelChanges(baseline, keys.keysOf(modelOf(added))), 1);
    // a type changed and an end moved: two changes (two added, two removed)
    const changed = [line('借款金额500万元', [[4, 8, '借款金额']]), line('保证担保', [[0, 4, '还款期限']]), before[2]];
    assert.equal(countLabelChanges(baseline, keys.keysOf(modelOf(changed))), 2);
    // both removed: two changes
    assert.equal(countLabelChanges(baseline, keys.keysOf(modelOf([before[2]]))), 2);
    // the same span labelled in an edited text is a new label
    const edited = [line('借款金额600万元', [[4, 9, '借款金额']]), before[1]];
    assert.equal(countLabelChanges(baseline, keys.keysOf(modelOf(edited))), 1);
  });

  it("trains on the labelled records only and keeps the file's line numbers", () => {
    const lines = [before[2], before[0], '', before[1], '{"text": "坏', line('也无标注', [])];
    const { content, records } = labelledRecordsContent(modelOf(lines));
    assert.equal(records, 2);
    assert.deepEqual(content.split('\n'), ['', before[0], '', before[1], '', '']);
  });
});

describe('background retraining: which model a retrain starts from', () => {
  const bio = [...new BioScheme(schema.types).names];
  const folder = (config: object, labels: object | null, weights = true): string => {
    const dir = mkdtempSync(path.join(tmpdir(), 'finlabel-base-'));
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
    if (labels) writeFileSync(path.join(dir, 'labels.json'), JSON.stringify(labels));
    if (weights) writeFileSync(path.join(dir, 'model.safetensors'), 'weights');
    return dir;
  };

  it("trains the active model further when it has weights and the dataset's labels in the same order", () => {
    const bert = folder({ model_type: 'bert' }, { bio, types: [] });
    assert.deepEqual(retrainBase(bert, bio), { base: { kind: 'folder', path: bert }, reason: `from the active model ${path.basename(bert)}` });
    const bilstm = folder({ model_type: 'finlabel-bilstm' }, { bio, types: [] });
    assert.equal(retrainBase(bilstm, bio).learningRate, CONTINUED_BILSTM_LEARNING_RATE, 'the small BiLSTM continues with its own step size');
  });

  it('starts from scratch, saying why, without a model, without weights, or with other labels', () => {
    assert.deepEqual(retrainBase(undefined, bio), { base: { kind: 'tiny' }, reason: 'from scratch: no entity model is active' });
    const onnxOnly = folder({ model_type: 'bert' }, { bio, types: [] }, false);
    assert.match(retrainBase(onnxOnly, bio).reason, /has no model\.safetensors/);
    const reordered = folder({ model_type: 'bert' }, { bio: [bio[0], ...bio.slice(1).reverse()], types: [] });
    assert.equal(retrainBase(reordered, bio).base.kind, 'tiny');
    assert.match(retrainBase(reordered, bio).reason, /other label types than the dataset/);
    const noLabels = folder({ model_type: 'bert' }, null);
    assert.match(retrainBase(noLabels, bio).reason, /no readable labels\.json/);
  });
});

describe('background retraining: a dev split that stays put as the data grows', () => {
  const lines = Array.from({ length: 200 }, (_, i) => JSON.stringify({ text: `记录${i}：借款${i}万元`, labels: [{ start: 0, end: 2, entity: '借款金额' }] }));

  it("keeps a record in dev (or in train) whatever else is labelled, about one in ten, with the file's line numbers", () => {
    const devOf = (content: string): Set<string> =>
      new Set(
        stableDevSplit(content)
          .dev.split('\n')
          .filter((l) => l !== ''),
      );
    const small = devOf(lines.slice(0, 100).join('\n'));
    const large = devOf(lines.join('\n'));
    assert.ok(small.size >= 3 && small.size <= 20, `${small.size} of 100 in dev`);
    for (const line of small) assert.ok(large.has(line), 'a dev record stays dev when more records are labelled');
    for (const line of large) if (lines.indexOf(line) < 100) assert.ok(small.has(line), 'and no earlier record moves into dev');
    const split = stableDevSplit(['', lines[0], '', lines[1]].join('\n'));
    assert.equal(split.train.split('\n').length, 4, 'line numbers kept');
    assert.equal(split.dev.split('\n').length, 4);
  });

  it('puts one record in dev when the hash would put none there', () => {
    const hashDev = new Set(stableDevSplit(lines.join('\n')).dev.split('\n'));
    const few = lines.filter((l) => !hashDev.has(l)).slice(0, 3);
    const split = stableDevSplit(few.join('\n'));
    assert.equal(split.devRecords, 1);
    assert.equal(split.train.split('\n').filter((l) => l !== '').length, 2);
  });
});
