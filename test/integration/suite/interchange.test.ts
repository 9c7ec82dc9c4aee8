import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DatasetRecord } from '../../../src/common/dataset';
import { INTERCHANGE_FORMATS, type InterchangeFormat } from '../../../src/common/interchange';
import { LabelSchema } from '../../../src/common/labelSchema';
import type { ConvertDatasetResult } from '../../../src/common/lspProtocol';
import { showReportsDocument } from '../../../src/extension/interchangeCommands';
import { cp, finlabelApi, workspaceFile } from './helpers';

type Converted = Extract<ConvertDatasetResult, { ok: true }>;

const NON_BMP = /[\u{10000}-\u{10FFFF}]/u;
const schema = new LabelSchema();

function converted(result: ConvertDatasetResult | undefined): Converted {
  assert.ok(result, 'the command returned its result');
  assert.ok(result.ok, result.ok ? '' : result.message);
  return result;
}

/** The first label of the sample that has a character outside the BMP before it. */
function labelAfterNonBmp(records: DatasetRecord[]): { index: number; label: NonNullable<DatasetRecord['labels']>[number] } {
  for (const [index, r] of records.entries()) {
    const label = r.labels?.find((l) => NON_BMP.test(cp(r.text).slice(0, l.start).join('')));
    if (label) return { index, label };
  }
  assert.fail('the sample has a label after a character outside the BMP');
}

/** What each format must hold for the sample, checked on the written file. */
const CHECK_WRITTEN: Record<InterchangeFormat, (content: string, records: DatasetRecord[]) => void> = {
  bio(content, records) {
    const blocks = content.trimEnd().split('\n\n');
    assert.equal(blocks.length, records.length);
    const { index, label } = labelAfterNonBmp(records);
    const lines = blocks[index].split('\n');
    assert.equal(lines[0], `# id = ${JSON.stringify(records[index].id)}`);
    const chars = lines.filter((l) => !l.startsWith('# '));
    assert.equal(chars.length, cp(records[index].text).length, 'one line per code point');
    assert.equal(chars[label.start], `${cp(records[index].text)[label.start]}\tB-${schema.resolve(label.entity)!.tag}`);
  },
  doccano(content, records) {
    const lines = content
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; label: [number, number, string][] });
    assert.equal(lines.length, records.length);
    const { index, label } = labelAfterNonBmp(records);
    const utf16 = (cpOffset: number): number => cp(records[index].text).slice(0, cpOffset).join('').length;
    const span = lines[index].label.find((s) => s[0] === utf16(label.start));
    assert.deepEqual(span, [utf16(label.start), utf16(label.end), schema.resolve(label.entity)!.tag], 'offsets in UTF-16 code units');
    assert.notEqual(span[0], label.start);
  },
  labelstudio(content, records) {
    const tasks = JSON.parse(content) as {
      data: { id: string; text: string };
      annotations: { result: { value: { start: number; end: number; text: string } }[] }[];
    }[];
    assert.equal(tasks.length, records.length);
    const { index, label } = labelAfterNonBmp(records);
    assert.equal(tasks[index].data.id, records[index].id);
    const value = tasks[index].annotations[0].result.map((r) => r.value).find((v) => v.text === label.value);
    assert.deepEqual(value && [value.start, value.end], [label.start, label.end], 'offsets in code points');
  },
  cluener(content, records) {
    const lines = content
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { label: Record<string, Record<string, [number, number][]>> });
    assert.equal(lines.length, records.length);
    const { index, label } = labelAfterNonBmp(records);
    const spans = lines[index].label[schema.resolve(label.entity)!.tag][label.value];
    assert.ok(
      spans.some(([s, e]) => s === label.start && e === label.end - 1),
      'inclusive end',
    );
  },
};

describe('FinLabel: Export Dataset / Import Dataset', function () {
  this.timeout(60_000);
  let dir: string;
  let input: string;
  let records: DatasetRecord[];

  before(async () => {
    await finlabelApi();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'finlabel-interchange-'));
    input = path.join(dir, 'due_diligence.jsonl');
    fs.copyFileSync(workspaceFile('due_diligence.jsonl').fsPath, input);
    records = fs
      .readFileSync(input, 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as DatasetRecord);
  });

  for (const format of INTERCHANGE_FORMATS) {
    it(`exports the sample dataset as ${format} and imports it back byte for byte`, async () => {
      const out = path.join(dir, `export.${format}`);
      const exported = converted(await vscode.commands.executeCommand<ConvertDatasetResult>('finlabel.exportDataset', vscode.Uri.file(input), format, out));
      const labels = records.reduce((n, r) => n + (r.labels?.length ?? 0), 0);
      assert.deepEqual([exported.written, exported.records, exported.labels, exported.reports], [true, records.length, labels, []]);
      CHECK_WRITTEN[format](fs.readFileSync(out, 'utf8'), records);

      const back = path.join(dir, `back.${format}.jsonl`);
      const imported = converted(await vscode.commands.executeCommand<ConvertDatasetResult>('finlabel.importDataset', out, format, vscode.Uri.file(back)));
      assert.deepEqual([imported.records, imported.labels, imported.reports], [records.length, labels, []]);
      assert.equal(fs.readFileSync(back, 'utf8'), fs.readFileSync(input, 'utf8'));
    });
  }

  it('reports an overlapping span exported to BIO, writes the rest, and lists the reports in a document', async () => {
    const overlapping = path.join(dir, 'overlapping.jsonl');
    const text = '借款金额500万元，期限😀3年';
    fs.writeFileSync(
      overlapping,
      `${JSON.stringify({
        id: 'ov-1',
        text,
        labels: [
          { entity: '借款金额', value: '500万元', start: 4, end: 9 },
          { entity: '还款期限', value: '万元', start: 7, end: 9 },
          { entity: '还款期限', value: '3年', start: 13, end: 15 },
        ],
      })}\n`,
    );
    const out = path.join(dir, 'overlapping.bio');
    const result = converted(await vscode.commands.executeCommand<ConvertDatasetResult>('finlabel.exportDataset', overlapping, 'bio', out));
    assert.deepEqual(
      result.reports.map((r) => [r.line, r.id, r.code]),
      [[1, 'ov-1', 'overlapping-label']],
    );
    assert.equal(result.labels, 2);
    const bio = fs.readFileSync(out, 'utf8').split('\n');
    assert.deepEqual([bio[5], bio[9], bio[13], bio[14]], ['5\tB-LOAN_AMOUNT', '元\tI-LOAN_AMOUNT', '😀\tO', '3\tB-REPAY_PERIOD']);

    const document = await showReportsDocument('export', overlapping, result.reports);
    assert.match(document.getText(), /overlapping\.jsonl:1: overlapping-label: \[ov-1\] label 2 REPAY_PERIOD "万元" \[7, 9\) overlaps label 1/);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('takes the entity naming and offset unit as a fourth argument', async () => {
    const out = path.join(dir, 'codepoints.jsonl');
    converted(await vscode.commands.executeCommand<ConvertDatasetResult>('finlabel.exportDataset', input, 'doccano', out, { offsets: 'codepoint' }));
    const { index, label } = labelAfterNonBmp(records);
    const line = JSON.parse(fs.readFileSync(out, 'utf8').split('\n')[index]) as { label: [number, number, string][] };
    assert.ok(
      line.label.some(([s, e]) => s === label.start && e === label.end),
      'offsets in code points',
    );
    const back = path.join(dir, 'tags.jsonl');
    converted(
      await vscode.commands.executeCommand<ConvertDatasetResult>('finlabel.importDataset', out, 'doccano', back, { offsets: 'codepoint', entity: 'tag' }),
    );
    const first = JSON.parse(fs.readFileSync(back, 'utf8').split('\n')[index]) as DatasetRecord;
    assert.deepEqual(
      first.labels,
      records[index].labels!.map((l) => ({ ...l, entity: schema.resolve(l.entity)!.tag })),
    );
  });

  it('refuses to import over its own input and leaves it untouched', async () => {
    const doccano = path.join(dir, 'own.jsonl');
    const before = '{"text":"借款","label":[[0,2,"LOAN_AMOUNT"]]}\n';
    fs.writeFileSync(doccano, before);
    const result = await vscode.commands.executeCommand<ConvertDatasetResult>('finlabel.importDataset', doccano, 'doccano', doccano);
    assert.ok(result && !result.ok);
    assert.match(result.message, /refusing to write the output over the input file/);
    assert.equal(fs.readFileSync(doccano, 'utf8'), before);
  });
});
