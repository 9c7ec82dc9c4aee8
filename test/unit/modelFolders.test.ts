import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHIPPED_ENTITY_MODEL } from '../../src/common/shippedModels';
import { resolveModelFolder, shippedEntityModelDir, shippedTokenizerDir } from '../../src/server/inference/shippedModelFolders';
import { newModelFolder, newModelFolderIn } from '../../src/server/training/newModelFolder';
import { repoRoot } from '../support/tinyEntityModel';

describe('model folders', () => {
  describe('the shipped models', () => {
    it('are found from the bundles, wherever they lie under the root (dist/, out/test/unit/)', () => {
      const shipped = join(repoRoot(), SHIPPED_ENTITY_MODEL);
      assert.equal(shippedEntityModelDir(), shipped);
      assert.equal(shippedEntityModelDir(join(repoRoot(), 'dist')), shipped);
      assert.equal(shippedTokenizerDir('qwen2', join(repoRoot(), 'dist')), join(repoRoot(), 'models', 'tokenizers', 'qwen2'));
    });

    it('are missing outside an installation that has them', () => {
      const bare = mkdtempSync(join(tmpdir(), 'finlabel-no-models-'));
      try {
        assert.equal(shippedEntityModelDir(bare), undefined);
        assert.equal(shippedTokenizerDir('bert-base-chinese', bare), undefined);
      } finally {
        rmSync(bare, { recursive: true, force: true });
      }
    });

    it('serve predictions unless a model folder is configured (relative to the workspace)', () => {
      assert.equal(resolveModelFolder('', '/w'), join(repoRoot(), SHIPPED_ENTITY_MODEL));
      assert.equal(resolveModelFolder(' m/ner ', '/w'), join('/w', 'm', 'ner'));
    });
  });

  describe("a new model's folder", () => {
    const now = new Date('2025-03-04T05:06:07.890Z');

    it('is .finlabel/models/<task>/<data name>-<date>-<time> in the given workspace folder', () => {
      assert.equal(newModelFolderIn('/w', '/w/data/banks.jsonl', 'entities', now), join('/w', '.finlabel', 'models', 'entities', 'banks-20250304-050607'));
    });

    it("is in the nearest folder above the data file that holds .finlabel, else the data file's folder", () => {
      const root = mkdtempSync(join(tmpdir(), 'finlabel-new-model-'));
      try {
        mkdirSync(join(root, 'data', 'credit'), { recursive: true });
        assert.equal(
          newModelFolder(join(root, 'data', 'credit', 'firms.csv'), 'credit', now),
          join(root, 'data', 'credit', '.finlabel', 'models', 'credit', 'firms-20250304-050607'),
        );
        mkdirSync(join(root, '.finlabel'));
        assert.equal(
          newModelFolder(join(root, 'data', 'credit', 'firms.csv'), 'credit', now),
          join(root, '.finlabel', 'models', 'credit', 'firms-20250304-050607'),
        );
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });
  });
});
