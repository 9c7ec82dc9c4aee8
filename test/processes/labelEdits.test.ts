import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { add, apply, describeLabelEditsOn } from '../support/labelEditsSuite';
import { LINE_STYLES } from '../support/lineStyles';
import { writeLine } from './pythonJson';

// The json.dumps styles are written by CPython, and CPython reads every style's offsets back. The compact
// style's other tests run in process (test/unit/labelEdits.test.ts).
for (const style of LINE_STYLES)
  describeLabelEditsOn(style, {
    writeLine,
    inProcess: style !== 'compact',
    addTests: (line) => {
      it('writes offsets Python agrees with (text[start:end] == value)', () => {
        const after = apply(line, add(line, '重庆𠀋公司\r\n借款')).line;
        const script =
          'import json,sys\nr=json.loads(sys.stdin.read())\nprint(all(r["text"][x["start"]:x["end"]]==x["value"] for x in r["labels"]), len(r["labels"]))';
        assert.equal(execFileSync('python3', ['-c', script], { input: after, encoding: 'utf8' }).trim(), 'True 4');
      });
    },
  });
