import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkInsideWorkspace, realPathOf, relativeInside } from '../../src/server/workspace/workspacePaths';

const WHY = 'FinLabel reads and writes files only inside the workspace folders';

describe('workspace paths: checked where they really lead', () => {
  let dir: string;
  let ws: string;
  let outside: string;

  beforeEach(() => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'finlabel-paths-')));
    ws = join(dir, 'ws');
    outside = join(dir, 'outside');
    mkdirSync(ws);
    mkdirSync(outside);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('follows a symbolic link, and for a path not there yet the nearest existing folder above it', () => {
    symlinkSync(outside, join(ws, '.finlabel'));
    assert.equal(realPathOf(join(ws, '.finlabel', 'models', 'm1', 'card.json')), join(outside, 'models', 'm1', 'card.json'));
    const check = checkInsideWorkspace([ws], join(ws, '.finlabel', 'models', 'm1'), 'the model folder');
    assert.deepEqual(check, {
      ok: false,
      message: `the model folder ${join(ws, '.finlabel', 'models', 'm1')} is outside the workspace folder ${ws} (it leads to ${join(outside, 'models', 'm1')} through a symbolic link); ${WHY}`,
    });
    assert.deepEqual(checkInsideWorkspace([ws], join(ws, 'new', 'data.jsonl'), 'the dataset'), { ok: true, root: ws });
  });

  it('counts a dangling link as where it points: writing through it would create that file', () => {
    symlinkSync(join(outside, 'not-yet.jsonl'), join(ws, 'dangling.jsonl'));
    assert.equal(realPathOf(join(ws, 'dangling.jsonl')), join(outside, 'not-yet.jsonl'));
    assert.equal(checkInsideWorkspace([ws], join(ws, 'dangling.jsonl'), 'the dataset').ok, false);
  });

  it('accepts a link that stays inside, names the innermost folder, and refuses when no folder is open', () => {
    mkdirSync(join(ws, 'real'));
    symlinkSync(join(ws, 'real'), join(ws, 'alias'));
    assert.deepEqual(checkInsideWorkspace([dir, ws], join(ws, 'alias', 'a.jsonl'), 'the dataset'), { ok: true, root: ws });
    assert.deepEqual(checkInsideWorkspace([], join(ws, 'a.jsonl'), 'the dataset'), {
      ok: false,
      message: `the dataset ${join(ws, 'a.jsonl')} is not used: no workspace folder is open, and ${WHY}`,
    });
  });

  it('a name that starts with two dots is inside', () => {
    assert.equal(relativeInside(ws, join(ws, '..data', 'a.jsonl')), '..data/a.jsonl');
    assert.equal(relativeInside(ws, join(ws, '..', 'a.jsonl')), undefined);
  });
});
