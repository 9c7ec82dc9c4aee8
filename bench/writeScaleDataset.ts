// Writes the benchmark's large dataset: `node out/bench/writeScaleDataset.js OUT.jsonl [RECORDS]`
// (default 100,000 records), to open in VS Code by hand.
import { writeFileSync } from 'node:fs';
import { scaleDataset } from './scaleDataset';

const [out, n] = process.argv.slice(2);
if (!out || /^\d+$/.test(out)) {
  console.error('usage: node out/bench/writeScaleDataset.js OUT.jsonl [RECORDS]');
  process.exit(2);
}
const content = scaleDataset(n ? Number(n) : 100_000);
writeFileSync(out, content);
console.log(`${out}: ${content.split('\n').length - 1} records, ${Buffer.byteLength(content)} bytes, ${content.length} UTF-16 units`);
