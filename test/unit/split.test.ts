import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatasetRecord } from '../../src/common/dataset';
import { LabelSchema } from '../../src/common/labelSchema';
import { parseRatios } from '../../src/common/splitRatios';
import { planSplit, type SplitPlan } from '../../src/server/analysis/split';
import { writeSplit } from '../../src/server/analysis/splitOutput';
import { Rng } from '../../src/server/util/prng';
import { generateRecords, recordsToJsonl } from '../../src/server/samples/records';

const schema = new LabelSchema();
const outDir = '/out';

function plan(content: string, ratios = [0.8, 0.1, 0.1], seed = 42): SplitPlan {
  const result = planSplit(content, { file: 'in.jsonl', outDir, ratios, seed, schema });
  assert.ok(result.ok, result.ok ? '' : result.message);
  return result.plan;
}

const linesOf = (content: string): string[] => content.split(/\r\n|\n/).filter((l) => l !== '');
const generated = recordsToJsonl(generateRecords(new Rng(7)));

describe('split: stratified by entity type', () => {
  it("keeps every type's share of labels close to the ratios in every split", () => {
    const { summary } = plan(generated);
    assert.equal(summary.records, 300);
    assert.deepEqual(
      summary.parts.map((p) => p.name),
      ['train', 'dev', 'test'],
    );
    for (const part of summary.parts) {
      for (const t of part.types) {
        assert.ok(t.share !== null && Math.abs(t.share - part.ratio) <= 0.02, `${part.name} holds ${t.share} of ${t.type}'s labels, ratio ${part.ratio}`);
      }
      assert.ok(Math.abs(part.records / summary.records - part.ratio) <= 0.05, `${part.name} holds ${part.records} of ${summary.records} records`);
    }
  });

  it('two ratios give train and test', () => {
    const { files, summary } = plan(generated, [0.7, 0.3]);
    assert.deepEqual(
      files.map((f) => f.path),
      [join(outDir, 'train.jsonl'), join(outDir, 'test.jsonl')],
    );
    for (const t of summary.parts[1].types) assert.ok(Math.abs(t.share! - 0.3) <= 0.02, `${t.type}: ${t.share}`);
  });

  it('is deterministic for a seed, and another seed gives another split', () => {
    const a = plan(generated, undefined, 5);
    const b = plan(generated, undefined, 5);
    const c = plan(generated, undefined, 6);
    assert.deepEqual(a.files, b.files);
    assert.notDeepEqual(
      a.files.map((f) => f.content),
      c.files.map((f) => f.content),
    );
  });

  it('puts every record sharing an id in one split; a record without id is its own group', () => {
    const records = linesOf(generated).map((l) => JSON.parse(l) as DatasetRecord);
    // 300 records: ids doc-0..doc-49 on 250 of them (5 each, scattered through the file), no id on 50.
    const regrouped = records.map((r, i) => {
      const { id: _id, ...rest } = r;
      return i % 6 === 5 ? rest : { id: `doc-${i % 50}`, ...rest };
    });
    const { files, summary } = plan(regrouped.map((r) => JSON.stringify(r)).join('\n'));
    assert.equal(summary.groups, 50 + 50);
    const splitOfId = new Map<string, string>();
    for (const f of files) {
      for (const line of linesOf(f.content)) {
        const id = (JSON.parse(line) as DatasetRecord).id;
        if (id === undefined) continue;
        assert.equal(splitOfId.get(String(id)) ?? f.path, f.path, `id ${id} is in one split`);
        splitOfId.set(String(id), f.path);
      }
    }
    assert.equal(splitOfId.size, 50);
    assert.equal(
      summary.parts.reduce((n, p) => n + p.records, 0),
      300,
    );
  });
});

describe('split: output lines are the input lines, byte for byte', () => {
  // Spacing and key order JSON.stringify would not write, a \u escape, non-BMP characters, "\r\n" in
  // the text, an unknown key and a label problem (value-mismatch): none of it may change.
  const lines = [
    '{ "id" : "a",  "text": "😀借款金额500万元", "labels": [ {"entity":"借款金额","value":"500万元","start":5,"end":10} ] , "x": [1, 2.50]}',
    '{"text":"\\u4e2d𠀋担保方式为抵押\\r\\n还款期限3年","labels":[{"entity":"担保方式","value":"抵押","start":7,"end":9}],"meta":{}}',
    '{"id":"a","text":"同一文档的第二段","labels":[]}',
    '{"id":7,"text":"还款期限3年","labels":[{"entity":"还款期限","value":"3 年","start":4,"end":6}]}',
    '   ',
    '{"id":"b","text":"无标注"}',
  ];

  for (const newline of ['\n', '\r\n']) {
    it(`copies each line as it is, with the file's ${JSON.stringify(newline)} line ends`, () => {
      const { files, summary } = plan(lines.join(newline) + newline, [0.5, 0.5], 1);
      const written = files.flatMap((f) => f.content.split(newline).filter((l) => l !== ''));
      assert.deepEqual([...written].sort(), lines.filter((l) => l.trim() !== '').sort());
      for (const f of files) assert.ok(f.content === '' || f.content.endsWith(newline), "every copied line ends with the file's line end");
      assert.equal(summary.blankLines, 1);
      assert.equal(summary.labelProblems, 1);
      // Order within a split is input order.
      for (const f of files) {
        const positions = f.content
          .split(newline)
          .filter((l) => l !== '')
          .map((l) => lines.indexOf(l));
        assert.deepEqual(
          positions,
          [...positions].sort((x, y) => x - y),
        );
      }
      // Lines 1 and 3 share the id "a".
      assert.ok(files.some((f) => f.content.includes(lines[0]) && f.content.includes(lines[2])));
    });
  }

  it('a last line without a line end gets one', () => {
    const { files } = plan(`${lines[0]}\n${lines[5]}`, [0.5, 0.5]);
    assert.deepEqual(
      files
        .map((f) => f.content)
        .join('')
        .split('\n')
        .filter((l) => l !== '')
        .sort(),
      [lines[0], lines[5]].sort(),
    );
    assert.ok(files.every((f) => f.content === '' || f.content.endsWith('\n')));
  });

  it('refuses a file with lines that are not records, naming them', () => {
    const result = planSplit(`${lines[0]}\nnot json\n[1]\n`, { file: 'in.jsonl', outDir, ratios: [0.5, 0.5], seed: 1, schema });
    assert.ok(!result.ok);
    assert.deepEqual(
      result.problems.map((p) => [p.line, p.code]),
      [
        [2, 'malformed-json'],
        [3, 'not-an-object'],
      ],
    );
    assert.match(result.message, /in\.jsonl: 2 lines are not a record \(line 2, 3\).*Nothing was written/);
  });
});

describe('split: ratios', () => {
  it('accepts 2 or 3 positive ratios summing to 1', () => {
    assert.deepEqual(parseRatios('0.8,0.1,0.1'), { ok: true, ratios: [0.8, 0.1, 0.1] });
    assert.deepEqual(parseRatios('.7, .3'), { ok: true, ratios: [0.7, 0.3] });
  });

  it('refuses anything else with a message saying what is wrong', () => {
    const message = (text: string): string => {
      const r = parseRatios(text);
      assert.ok(!r.ok, text);
      return r.message;
    };
    assert.match(message('0.8,0.2,0.1'), /must sum to 1, got 0\.8 \+ 0\.2 \+ 0\.1 = 1\.1/);
    assert.match(message('1'), /give 2 ratios .* or 3 .*, not 1/);
    assert.match(message('0.5,0.25,0.125,0.125'), /not 4/);
    assert.match(message('1,0'), /above 0/);
    assert.match(message('0.8,x'), /"x" in "0\.8,x" is not a number above 0/);
    assert.match(message('-0.2,1.2'), /"-0\.2" .* is not a number above 0/);
  });
});

describe('split: writing the files', () => {
  it('refuses to overwrite non-empty split files unless forced, and never overwrites the input', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'finlabel-split-'));
    const result = planSplit(generated, { file: 'in.jsonl', outDir: dir, ratios: [0.8, 0.2], seed: 3, schema });
    assert.ok(result.ok);
    writeFileSync(join(dir, 'train.jsonl'), ''); // empty: nothing to lose
    assert.deepEqual(await writeSplit(result.plan, { force: false }), { ok: true });
    const first = readFileSync(join(dir, 'train.jsonl'), 'utf8');
    assert.equal(first, result.plan.files[0].content);

    writeFileSync(join(dir, 'test.jsonl'), 'mine\n');
    const refused = await writeSplit(result.plan, { force: false });
    assert.ok(!refused.ok);
    assert.deepEqual(refused.wouldOverwrite, [join(dir, 'train.jsonl'), join(dir, 'test.jsonl')]);
    assert.equal(readFileSync(join(dir, 'test.jsonl'), 'utf8'), 'mine\n', 'nothing was written');

    assert.deepEqual(await writeSplit(result.plan, { force: true }), { ok: true });
    assert.equal(readFileSync(join(dir, 'test.jsonl'), 'utf8'), result.plan.files[1].content);

    const clash = await writeSplit(result.plan, { force: true, inputPath: join(dir, 'train.jsonl') });
    assert.ok(!clash.ok);
    assert.match(clash.message, /train\.jsonl is the input file/);
  });
});
