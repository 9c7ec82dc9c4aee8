import { runFinlabel as run } from '../support/cliRun';
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgreementReport, DatasetStats, SplitSummary } from '../../src/common/datasetReports';
import { displayWidth } from '../../src/server/analysis/markdownTable';
import { Rng } from '../../src/server/util/prng';
import { generateRecords, recordsToJsonl } from '../../src/server/samples/records';

const nonEmptyLines = (text: string): string[] => text.split('\n').filter((l) => l !== '');

describe('finlabel stats, split, agreement', () => {
  const dir = mkdtempSync(join(tmpdir(), 'finlabel-dataset-cli-'));
  const dataset = join(dir, 'dd.jsonl');
  writeFileSync(dataset, recordsToJsonl(generateRecords(new Rng(11))));
  const datasetLines = nonEmptyLines(readFileSync(dataset, 'utf8'));

  it('lists the three commands in --help', async () => {
    const r = await run(['--help']);
    for (const name of ['stats', 'split', 'agreement']) assert.match(r.stdout, new RegExp(`^  ${name} `, 'm'));
  });

  describe('stats', () => {
    it('--json gives the figures of the file', async () => {
      const r = await run(['stats', dataset, '--json']);
      assert.equal(r.code, 0, r.stderr);
      const stats = JSON.parse(r.stdout) as DatasetStats;
      assert.equal(stats.records, datasetLines.length);
      const labels = datasetLines.reduce((n, l) => n + (JSON.parse(l) as { labels: unknown[] }).labels.length, 0);
      assert.equal(stats.labels, labels);
      assert.equal(
        stats.types.reduce((n, t) => n + t.labels, 0),
        labels,
      );
      assert.deepEqual(
        stats.types.map((t) => t.tag),
        ['LOAN_AMOUNT', 'GUARANTEE_TYPE', 'REPAY_PERIOD'],
      );
    });

    it('prints tables whose columns line up, Chinese names included', async () => {
      const r = await run(['stats', dataset]);
      assert.equal(r.code, 0);
      const tables = r.stdout.split('\n\n').filter((block) => block.startsWith('|'));
      assert.ok(tables.length >= 3, r.stdout);
      for (const table of tables) {
        const widths = table.split('\n').map(displayWidth);
        assert.ok(
          widths.every((w) => w === widths[0]),
          `aligned:\n${table}`,
        );
      }
      assert.match(r.stdout, /\| 借款金额 +\| LOAN_AMOUNT +\|/);
    });

    it('exits 1 for a file with problems, still printing the figures', async () => {
      const file = join(dir, 'bad.jsonl');
      writeFileSync(file, `${datasetLines[0]}\nnot json\n`);
      const r = await run(['stats', file]);
      assert.equal(r.code, 1);
      assert.match(r.stdout, /Records: \*\*1\*\*/);
      assert.match(r.stdout, /\| malformed-json +\| +1 \| 2 +\|/);
      assert.match(r.stderr, /bad\.jsonl: 1 problem/);
    });

    it('exits 2 naming a file it cannot read', async () => {
      const r = await run(['stats', join(dir, 'missing.jsonl')]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /^finlabel stats: cannot read .*missing\.jsonl: ENOENT/);
    });
  });

  describe('split', () => {
    it('writes train/dev/test.jsonl made of the input lines and prints the summary', async () => {
      const out = join(dir, 'split-a');
      const r = await run(['split', dataset, '--ratios', '0.8,0.1,0.1', '--seed', '42', '-o', out]);
      assert.equal(r.code, 0, r.stderr);
      const written = ['train', 'dev', 'test'].map((n) => nonEmptyLines(readFileSync(join(out, `${n}.jsonl`), 'utf8')));
      assert.deepEqual(written.flat().sort(), [...datasetLines].sort());
      assert.match(r.stdout, /\| train +\| .*train\.jsonl +\| +0\.8 \| +\d+ \(\d+\.\d%\) \|/);
      assert.match(r.stderr, /wrote train\.jsonl \(\d+\), dev\.jsonl \(\d+\), test\.jsonl \(\d+\)/);

      const again = join(dir, 'split-b');
      const json = await run(['split', dataset, '--ratios', '0.8,0.1,0.1', '--seed', '42', '-o', again, '--json']);
      const summary = JSON.parse(json.stdout) as SplitSummary;
      assert.deepEqual(
        summary.parts.map((p) => p.records),
        written.map((w) => w.length),
      );
      for (const n of ['train', 'dev', 'test']) {
        assert.ok(readFileSync(join(out, `${n}.jsonl`)).equals(readFileSync(join(again, `${n}.jsonl`))), `${n}.jsonl is the same for the same seed`);
      }
    });

    it('refuses to overwrite without --force (exit 2) and overwrites with it', async () => {
      const out = join(dir, 'split-c');
      assert.equal((await run(['split', dataset, '-o', out, '--ratios', '0.5,0.5'])).code, 0);
      const before = readFileSync(join(out, 'train.jsonl'), 'utf8');
      const refused = await run(['split', dataset, '-o', out, '--ratios', '0.5,0.5', '--seed', '9']);
      assert.equal(refused.code, 2);
      assert.match(refused.stderr, /train\.jsonl, .*test\.jsonl already exist and would be overwritten; add --force to overwrite/);
      assert.equal(readFileSync(join(out, 'train.jsonl'), 'utf8'), before);
      const forced = await run(['split', dataset, '-o', out, '--ratios', '0.5,0.5', '--seed', '9', '--force']);
      assert.equal(forced.code, 0, forced.stderr);
      assert.notEqual(readFileSync(join(out, 'train.jsonl'), 'utf8'), before);
    });

    it('refuses bad ratios, a bad seed and a missing -o with exit 2', async () => {
      const bad = async (args: string[], message: RegExp): Promise<void> => {
        const r = await run(['split', dataset, ...args]);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, message);
      };
      await bad(['-o', join(dir, 'x'), '--ratios', '0.8,0.3'], /the ratios must sum to 1/);
      await bad(['-o', join(dir, 'x'), '--ratios', '0.8,0.1,0.05,0.05'], /give 2 ratios/);
      await bad(['-o', join(dir, 'x'), '--seed', '1.5'], /--seed must be a non-negative integer, got "1.5"/);
      await bad([], /give the output folder with -o DIR/);
      assert.ok(!existsSync(join(dir, 'x')), 'nothing was written');
    });

    it('refuses a file with lines that are not records: each named with file and line, exit 1, nothing written', async () => {
      const file = join(dir, 'broken.jsonl');
      writeFileSync(file, `${datasetLines[0]}\n{"id": 2}\n${datasetLines[1]}\n`);
      const out = join(dir, 'split-broken');
      const r = await run(['split', file, '-o', out]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /broken\.jsonl:2: missing-text: record has no "text" field/);
      assert.match(r.stderr, /1 line is not a record \(line 2\)/);
      assert.ok(!existsSync(out));
    });
  });

  describe('agreement', () => {
    // B: the same records without their 担保方式 labels, and one record of its own.
    const other = join(dir, 'other.jsonl');
    const withoutGuarantee = datasetLines.map((l) => {
      const r = JSON.parse(l) as { labels: { entity: string }[] };
      return JSON.stringify({ ...r, labels: r.labels.filter((x) => x.entity !== '担保方式') });
    });
    writeFileSync(other, [...withoutGuarantee, JSON.stringify({ id: 'only-b', text: '只在B' })].join('\n') + '\n');

    it('--json: the types B left alone agree fully, the one it dropped has recall 0', async () => {
      const r = await run(['agreement', dataset, other, '--json']);
      assert.equal(r.code, 0, r.stderr);
      const report = JSON.parse(r.stdout) as AgreementReport;
      assert.equal(report.matchedRecords, datasetLines.length);
      assert.deepEqual(report.onlyInB, [{ line: datasetLines.length + 1, id: 'only-b' }]);
      const byTag = new Map(report.types.map((t) => [t.tag, t]));
      for (const tag of ['LOAN_AMOUNT', 'REPAY_PERIOD']) {
        assert.equal(byTag.get(tag)!.f1, 1);
        assert.equal(byTag.get(tag)!.kappa.value, 1);
      }
      const g = byTag.get('GUARANTEE_TYPE')!;
      assert.deepEqual([g.spansB, g.recall, g.precision, g.f1, g.kappa.value], [0, 0, null, 0, 0]);
    });

    it('--annotators compares two annotators of one file', async () => {
      const file = join(dir, 'team.jsonl');
      const text = '借款金额500万元';
      writeFileSync(
        file,
        JSON.stringify({
          id: 1,
          text,
          labels: [
            { entity: '借款金额', value: '500万元', start: 4, end: 9, annotator: 'alice' },
            { entity: '借款金额', value: '500万元', start: 4, end: 9, annotator: 'bob' },
          ],
        }) + '\n',
      );
      const r = await run(['agreement', file, '--annotators', 'alice,bob']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /annotator \*\*alice\*\*/);
      assert.match(r.stdout, /\| 借款金额 +\| LOAN_AMOUNT +\| +1 \| +1 \| +1 \| +1\.000 \| +1\.000 \| +1\.000 \| +1\.000 \|/);
      const typo = await run(['agreement', file, '--annotators', 'alice,bobby']);
      assert.equal(typo.code, 1);
      assert.match(typo.stderr, /team\.jsonl: no label has "annotator": "bobby" \(annotators in the file: alice, bob\)/);
    });

    it('usage mistakes exit 2 with a message', async () => {
      const bad = async (args: string[], message: RegExp): Promise<void> => {
        const r = await run(['agreement', ...args]);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, message);
      };
      await bad([dataset], /give a second FILE, or --annotators NAME,NAME/);
      await bad([dataset, other, '--annotators', 'a,b'], /--annotators compares two annotators in ONE file/);
      await bad([dataset, '--annotators', 'alice'], /two names separated by a comma/);
      await bad([dataset, '--annotators', 'al,al'], /the same annotator twice/);
      await bad([dataset, join(dir, 'nope.jsonl')], /cannot read .*nope\.jsonl: ENOENT/);
    });
  });
});
