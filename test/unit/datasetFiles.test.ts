import * as assert from 'node:assert/strict';
import { isDataset } from '../../src/common/datasetFiles';

describe('isDataset: the one rule for "is this an entity dataset?"', () => {
  it('takes a .jsonl name in any case, as a path, a file URI or a URI path', () => {
    for (const location of ['/data/due_diligence.jsonl', 'C:\\data\\LOANS.JSONL', 'file:///data/a%20b.Jsonl', 'contracts/contracts.labels.jsonl']) {
      assert.ok(isDataset(location), location);
    }
  });

  it('takes a document VS Code reads as JSON Lines whatever its name, an untitled buffer included', () => {
    assert.ok(isDataset('untitled:Untitled-1', 'jsonl'));
    assert.ok(isDataset('Untitled-1', 'jsonl'));
    assert.ok(isDataset('/data/records.txt', 'jsonl'));
  });

  it('refuses other names and languages', () => {
    for (const location of ['/data/records.json', '/data/a.jsonl.txt', '/data/jsonl', 'untitled:Untitled-1', '/data/credit.csv']) {
      assert.ok(!isDataset(location), location);
      assert.ok(!isDataset(location, 'json'), `${location} as json`);
    }
  });
});
