import { execFileSync } from 'node:child_process';
import type { LineStyle } from '../support/lineStyles';

/** Writes values as JSONL lines in a style; the json.dumps styles by CPython itself (one call for all). */
export function writeLines(values: readonly unknown[], style: LineStyle): string[] {
  if (style === 'compact') return values.map((v) => JSON.stringify(v));
  const ascii = style === 'json.dumps ascii' ? 'True' : 'False';
  const script = `import json,sys\nfor l in sys.stdin:\n  print(json.dumps(json.loads(l), ensure_ascii=${ascii}))`;
  const out = execFileSync('python3', ['-c', script], { input: values.map((v) => JSON.stringify(v)).join('\n') + '\n', encoding: 'utf8' });
  return out.split('\n').slice(0, values.length);
}

export function writeLine(value: unknown, style: LineStyle): string {
  return writeLines([value], style)[0];
}
