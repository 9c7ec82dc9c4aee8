// Control characters from a file (ESC, BEL, bidi overrides, ...) as the CLI tests of both tiers feed them to
// `finlabel` and look for them in what it prints.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const ESC = '\u001b';
export const BEL = '\u0007';
export const RED_ID = `${ESC}[31mEVIL${BEL}`;

/** Any character a terminal would act on, as runCli must never print it. */
// eslint-disable-next-line no-control-regex -- control characters are what this finds
export const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** Writes dir/evil.jsonl: a label whose value differs from the text and whose type is unknown, both carrying ESC and BEL. */
export function writeEvilDataset(dir: string): { evil: { id: string; text: string }; file: string } {
  const evil = {
    id: RED_ID,
    text: `借款金额500万元${ESC}[2J`,
    labels: [{ entity: `${ESC}[31m借款金额${BEL}`, value: `${ESC}]0;pwned${BEL}`, start: 4, end: 9 }],
  };
  const file = join(dir, 'evil.jsonl');
  writeFileSync(file, `${JSON.stringify(evil)}\n`);
  return { evil, file };
}
