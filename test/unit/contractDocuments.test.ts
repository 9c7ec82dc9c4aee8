import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LabelSchema } from '../../src/common/labelSchema';
import type { DocumentImportReport } from '../../src/common/documentImportProtocol';
import { planDocumentImport } from '../../src/server/contracts/documents/documentImport';
import type { DocumentPart } from '../../src/server/contracts/documents/documentText';
import { extractDocument } from '../../src/server/contracts/documents/extractDocument';
import { listFolderDocuments } from '../../src/server/contracts/documents/folderDocuments';
import { writeFolderDataset } from '../../src/server/contracts/folderDatasets';
import { codePointSlice } from '../../src/server/dataset/jsonStringMap';
import { JsonlDocumentModel } from '../../src/server/dataset/documentModel';
import { validateJsonl } from '../../src/server/dataset/validateFile';
import { makeDocx, makeImagePdf, makeTextPdf } from '../support/contractDocumentFiles';
import { runFinlabel } from '../support/cliRun';

const LONG =
  '借款金额为人民币伍佰万元整（¥5,000,000.00），借款期限自2024年1月1日起至2026年12月31日止，担保方式为连带责任保证，本段文字足够长，会在页面上折成两行以上。';
const DOCX_PARAGRAPHS = ['流动资金借款合同', '', '借款人：重庆𠀋记贸易有限公司😀', '借款金额：人民币500万元整。担保方式为抵押。', '借款期限：36个月。'];

interface RecordJson {
  id: string;
  text: string;
  labels: { entity: string; value: string; start: number; end: number }[];
  meta: { source: string; format: string; sha256: string; pages?: number; parts: DocumentPart[]; note?: string };
  reviewer?: string;
}

function records(content: string): RecordJson[] {
  return content
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as RecordJson);
}

async function importInto(folder: string, root: string, content: string): Promise<{ content: string; report: DocumentImportReport }> {
  const model = new JsonlDocumentModel(new LabelSchema());
  model.update(content);
  const plan = await planDocumentImport(listFolderDocuments(root, folder), { model, eol: '\n', name: 'contracts/contracts.labels.jsonl' }, 'contracts');
  return { content: TextDocument.applyEdits(TextDocument.create('file:///d.jsonl', 'jsonl', 0, content), plan.edits), report: plan.report };
}

/** Each part's text is its paragraph's; parts are in order and separated by one '\n'. */
function assertParts(text: string, parts: readonly DocumentPart[], paragraphs: readonly string[]): void {
  assert.deepEqual(
    parts.map((p) => codePointSlice(text, p.start, p.end)),
    paragraphs,
  );
  assert.equal(text, paragraphs.join('\n'));
}

describe('Word and PDF contracts: text extraction', function () {
  this.timeout(60_000);

  it('reads a .docx made by the docx package: one paragraph per line, empty ones dropped, paragraph numbers in the parts', async () => {
    const result = await extractDocument('借款合同.docx', await makeDocx(DOCX_PARAGRAPHS));
    assert.ok(result.ok, result.ok ? '' : result.reason);
    const { document } = result;
    assert.equal(document.format, 'docx');
    const expected = DOCX_PARAGRAPHS.filter((p) => p !== '');
    assertParts(document.text, document.parts, expected);
    assert.deepEqual(
      document.parts.map((p) => [p.page, p.paragraph]),
      [
        [undefined, 1],
        [undefined, 2],
        [undefined, 3],
        [undefined, 4],
      ],
    );
    // Code points, not UTF-16: 𠀋 and 😀 count one each.
    assert.equal(document.parts[1].end - document.parts[1].start, Array.from(expected[1]).length);
  });

  it('reads a text PDF made by pdfkit with a CJK font: pages, paragraphs, wrapped lines joined without spaces', async () => {
    const pages = [[LONG, '第二条 抵押物为𠀋号房产，抵押期间为3年。'], ['第三条 本合同自双方签字之日起生效。']];
    const result = await extractDocument('合同.pdf', await makeTextPdf(pages));
    assert.ok(result.ok, result.ok ? '' : result.reason);
    const { document } = result;
    assert.equal(document.format, 'pdf');
    assert.equal(document.pages, 2);
    assertParts(document.text, document.parts, pages.flat());
    assert.deepEqual(
      document.parts.map((p) => [p.page, p.paragraph]),
      [
        [1, 1],
        [1, 2],
        [2, 1],
      ],
    );
  });

  it('reports a PDF of images only (a scan) as needing OCR', async () => {
    const result = await extractDocument('扫描件.pdf', await makeImagePdf(2));
    assert.ok(!result.ok);
    assert.equal(result.problem, 'needs-ocr');
    assert.match(result.reason, /no text layer \(2 pages/);
    assert.match(result.reason, /OCR/);
  });

  it('reports password-protected, encrypted, damaged and empty files with the reason, and reads a PDF encrypted with permissions only', async () => {
    const locked = await extractDocument('加密.pdf', await makeTextPdf([['机密合同']], { userPassword: 'secret' }));
    assert.deepEqual([locked.ok, !locked.ok && locked.problem], [false, 'encrypted']);
    assert.match(!locked.ok ? locked.reason : '', /password-protected/);
    // Encrypted with permissions only: it opens without a password, so its text is read, and that is said.
    const restricted = await extractDocument('限制.pdf', await makeTextPdf([['借款金额为人民币500万元整。']], { ownerPassword: 'owner' }));
    assert.ok(restricted.ok, restricted.ok ? '' : restricted.reason);
    assert.equal(restricted.document.text, '借款金额为人民币500万元整。');
    assert.match(restricted.document.note ?? '', /encrypted with permissions only/);
    const plain = await extractDocument('普通.pdf', await makeTextPdf([['合同']]));
    assert.equal(plain.ok && plain.document.note, undefined);
    const truncated = await extractDocument('坏.pdf', (await makeTextPdf([['合同']])).subarray(0, 400));
    assert.deepEqual([truncated.ok, !truncated.ok && truncated.problem], [false, 'corrupt']);
    const notZip = await extractDocument('坏.docx', Buffer.from('this is not a Word file'));
    assert.deepEqual([notZip.ok, !notZip.ok && notZip.problem], [false, 'corrupt']);
    const brokenZip = await extractDocument('坏.docx', (await makeDocx(['合同'])).subarray(0, 300));
    assert.deepEqual([brokenZip.ok, !brokenZip.ok && brokenZip.problem], [false, 'corrupt']);
    // What Word writes for a password-protected .docx: an OLE compound file, not a zip.
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);
    const encrypted = await extractDocument('加密.docx', ole);
    assert.deepEqual([encrypted.ok, !encrypted.ok && encrypted.problem], [false, 'encrypted']);
    const empty = await extractDocument('空.pdf', Buffer.alloc(0));
    assert.deepEqual([empty.ok, !empty.ok && empty.problem], [false, 'corrupt']);
  });
});

describe('Word and PDF contracts: importing a folder into its dataset', function () {
  this.timeout(120_000);
  let root: string;
  let folder: string;

  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'finlabel-docs-'));
    folder = join(root, 'contracts');
    mkdirSync(folder);
    writeFileSync(join(folder, '借款合同.docx'), await makeDocx(DOCX_PARAGRAPHS));
    writeFileSync(join(folder, '保证合同.pdf'), await makeTextPdf([[LONG], ['第二条 保证人承担连带责任保证。']]));
    writeFileSync(join(folder, '扫描件.pdf'), await makeImagePdf(1));
    writeFileSync(join(folder, '损坏.docx'), Buffer.from('PK\x03\x04 broken'));
    writeFileSync(join(folder, '加密.pdf'), await makeTextPdf([['机密']], { userPassword: 'pw' }));
    writeFileSync(join(folder, '说明.txt'), '纯文本合同由 Label Selection 标注。');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('imports the readable files as records with meta, and names each other file with its reason', async () => {
    const { content, report } = await importInto(folder, root, '');
    const byFile = new Map(report.files.map((f) => [f.file, f]));
    assert.deepEqual(
      [...byFile.keys()].sort(),
      ['contracts/保证合同.pdf', 'contracts/借款合同.docx', 'contracts/加密.pdf', 'contracts/扫描件.pdf', 'contracts/损坏.docx'].sort(),
    );
    assert.equal(byFile.get('contracts/借款合同.docx')?.outcome, 'added');
    assert.equal(byFile.get('contracts/保证合同.pdf')?.outcome, 'added');
    assert.equal(byFile.get('contracts/扫描件.pdf')?.problem, 'needs-ocr');
    assert.match(byFile.get('contracts/扫描件.pdf')?.message ?? '', /^contracts\/扫描件\.pdf: not imported: it has no text layer/);
    assert.equal(byFile.get('contracts/加密.pdf')?.problem, 'encrypted');
    assert.match(byFile.get('contracts/加密.pdf')?.message ?? '', /^contracts\/加密\.pdf: not imported: it is password-protected/);
    assert.equal(byFile.get('contracts/损坏.docx')?.problem, 'corrupt');
    assert.match(byFile.get('contracts/损坏.docx')?.message ?? '', /^contracts\/损坏\.docx: not imported: it cannot be read as a Word document/);
    assert.match(report.summary, /2 added, 0 updated, 0 unchanged, 3 not imported/);

    const written = records(content);
    assert.equal(written.length, 2, 'no record for the files that were not imported (never an empty one)');
    const pdf = written.find((r) => r.id === 'contracts/保证合同.pdf') as RecordJson;
    assert.deepEqual(pdf.labels, []);
    assert.equal(pdf.meta.source, 'contracts/保证合同.pdf');
    assert.equal(pdf.meta.format, 'pdf');
    assert.equal(pdf.meta.pages, 2);
    assert.match(pdf.meta.sha256, /^[0-9a-f]{64}$/);
    assert.deepEqual(
      pdf.meta.parts.map((p) => [p.page, p.paragraph, codePointSlice(pdf.text, p.start, p.end)]),
      [
        [1, 1, LONG],
        [2, 1, '第二条 保证人承担连带责任保证。'],
      ],
    );
    const docx = written.find((r) => r.id === 'contracts/借款合同.docx') as RecordJson;
    assertParts(
      docx.text,
      docx.meta.parts,
      DOCX_PARAGRAPHS.filter((p) => p !== ''),
    );
    // The dataset is valid as it is written.
    assert.deepEqual(validateJsonl(content, new LabelSchema()), []);
  });

  it('re-importing a changed file keeps the labels whose text is still there and reports those that moved or vanished', async () => {
    const first = await importInto(folder, root, '');
    // Label the docx record as a user would (the record's own keys and meta kept), and add a key FinLabel does not know.
    const lines = first.content.split('\n');
    const i = lines.findIndex((l) => l.includes('借款合同.docx'));
    const record = JSON.parse(lines[i]) as RecordJson;
    const label = (value: string, entity: string): RecordJson['labels'][number] => {
      const at = Array.from(record.text).join('').indexOf(value);
      const start = Array.from(record.text.slice(0, at)).length;
      return { entity, value, start, end: start + Array.from(value).length };
    };
    record.labels = [label('人民币500万元整', '借款金额'), label('抵押', '担保方式'), label('36个月', '还款期限')];
    record.reviewer = '张三';
    record.meta.note = '人工复核';
    lines[i] = JSON.stringify(record);
    const labelled = lines.join('\n');

    const same = await importInto(folder, root, labelled);
    assert.equal(same.content, labelled, 'an unchanged folder changes nothing');
    assert.ok(same.report.files.filter((f) => f.outcome !== 'not-imported').every((f) => f.outcome === 'unchanged'));

    // The file changes: a paragraph before the labels, the guarantee sentence rewritten, the term kept.
    writeFileSync(
      join(folder, '借款合同.docx'),
      await makeDocx([
        '流动资金借款合同',
        '合同编号：2024-渝-001',
        '借款人：重庆𠀋记贸易有限公司😀',
        '借款金额：人民币500万元整。本合同项下无担保。',
        '借款期限：36个月。',
      ]),
    );
    const again = await importInto(folder, root, labelled);
    const file = again.report.files.find((f) => f.file === 'contracts/借款合同.docx');
    assert.equal(file?.outcome, 'updated');
    assert.deepEqual(
      file?.moved.map((m) => [m.entity, m.value, m.from.place, m.to?.place]),
      [
        ['借款金额', '人民币500万元整', 'paragraph 3', 'paragraph 4'],
        ['还款期限', '36个月', 'paragraph 4', 'paragraph 5'],
      ],
    );
    assert.deepEqual(
      file?.vanished.map((v) => [v.entity, v.value, v.from.place]),
      [['担保方式', '抵押', 'paragraph 3']],
    );
    assert.match(file?.message ?? '', /re-imported the changed file .*0 labels kept, 2 moved, 1 vanished/);
    const after = records(again.content).find((r) => r.id === 'contracts/借款合同.docx') as RecordJson;
    for (const l of after.labels.filter((x) => x.entity !== '担保方式')) assert.equal(codePointSlice(after.text, l.start, l.end), l.value);
    // The vanished label is not dropped: it keeps its old text, so validation flags it.
    const vanished = after.labels.find((l) => l.entity === '担保方式');
    assert.equal(vanished?.value, '抵押');
    assert.ok(validateJsonl(again.content, new LabelSchema()).some((p) => p.line === i + 1 && /value|offset/.test(p.code)));
    assert.equal(after.reviewer, '张三');
    assert.equal(after.meta.note, '人工复核');
    assert.equal(after.meta.parts.length, 5);
    // The other records are byte for byte as they were.
    const otherBefore = labelled.split('\n').filter((l) => l.includes('保证合同.pdf'));
    const otherAfter = again.content.split('\n').filter((l) => l.includes('保证合同.pdf'));
    assert.deepEqual(otherAfter, otherBefore);
  });

  it('finlabel import FOLDER imports into the dataset chosen for the folder, and reports by name', async () => {
    writeFolderDataset(root, 'contracts', 'contracts/contracts.labels.jsonl');
    const run = await runFinlabel(['import', folder, '--json']);
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(run.stdout) as DocumentImportReport;
    assert.equal(report.dataset, 'contracts/contracts.labels.jsonl');
    assert.equal(report.files.filter((f) => f.outcome === 'added').length, 2);
    const content = readFileSync(join(folder, 'contracts.labels.jsonl'), 'utf8');
    assert.equal(records(content).length, 2);
    const text = await runFinlabel(['import', folder]);
    assert.equal(text.code, 1);
    assert.match(text.stdout, /contracts\/扫描件\.pdf: not imported: it has no text layer/);
    assert.match(text.stdout, /contracts\/借款合同\.docx: unchanged since its last import/);
    assert.equal(readFileSync(join(folder, 'contracts.labels.jsonl'), 'utf8'), content);
    const unbound = await runFinlabel(['import', join(root)]);
    assert.equal(unbound.code, 2);
    assert.match(unbound.stderr, /no dataset is chosen for the folder "\."/);
  });
});
