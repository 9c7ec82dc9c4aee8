import type { KeyTerm, KeyTermsRow, ReviewerCheck, TermSource } from '../../common/keyTerms';
import { normalizedText } from '../../common/normalizedValue';
import { EntityModelError } from '../inference/entityModelFolder';
import { EntityPredictor } from '../inference/entityPredictor';
import { resolveModelFolder } from '../inference/shippedModelFolders';
import { ConvertFileError, writeFileAtomically } from '../interchange/convertFile';
import { keyTermsRow } from '../keyTerms/keyTermsRow';
import { needsPrediction, predictTerms } from '../keyTerms/predictTerms';
import { readTermInputs } from '../keyTerms/termDocuments';
import { termsCsv, termsXlsx } from '../keyTerms/termsFiles';
import { cliSchema, SCHEMA_OPTION, SCHEMA_USAGE } from './cliSchema';
import type { CliCommand, CliIo, ExitCode } from './command';
import { parseOptions } from './parseOptions';

const usage = `Usage: finlabel extract DATA.jsonl|CONTRACT.txt|FOLDER [--model DIR] [--no-model] [--json | -o terms.csv | -o terms.xlsx]

The key terms of each record of a dataset, or of each contract file (.txt, .md): its loan amount
(借款金额), term (还款期限) and guarantee modes (担保方式), each normalized (see README: an amount in
yuan or its currency, a duration or a date range with its length, canonical modes) and each with
its source: file, line, code-point span, text, and whether it is a gold label or the model's
prediction (with its confidence). A type with gold labels in the document is read from them; one
without is read from the entity model's spans. The row's amount is the one marked 借款金额; the
others the document states (interest, fees, ...) are listed beside it. A folder's dataset files
and contract files are read (not its subfolders); a contract's labels are those of the record whose
meta.source is its path. Nothing is written to the inputs.

Reviewer checks, each naming the places it is about:
  amount-forms-disagree       大写 and digits of one amount that are not the same amount
  term-length-disagrees       a date range whose length is not the stated duration
  guarantee-without-contract  a guarantee mode named, and no guarantee contract mentioned

  --model DIR   the entity model for the terms without gold labels; default: the shipped
                models/default-entities
  --no-model    gold labels only
  --json        {"rows":[...]}: each row {"file","line","id","amount","otherAmounts","term",
                "otherTerms","guarantee":{"modes","sources"},"checks"}; a term is {"value","source"}
  -o, --out F   write a table instead: F ending in .csv (UTF-8 with BOM) or .xlsx
${SCHEMA_USAGE}

Exit codes: 0 done, no checks failed; 1 done, with checks to review or input lines that could
not be read (each on stderr); 2 the command could not run.
`;

const place = (s: TermSource): string =>
  `${s.file}${s.line === null ? '' : `:${s.line}`} [${s.start}, ${s.end}) ${JSON.stringify(s.text)} (${s.origin}${s.confidence === null ? '' : ` ${s.confidence.toFixed(3)}`})`;
const termLine = (name: string, t: KeyTerm | null): string => `  ${name}: ${t ? `${normalizedText(t.value)}  ${place(t.source)}` : '—'}\n`;
const checkLine = (c: ReviewerCheck): string => `  check ${c.code}: ${c.message}\n${c.places.map((p) => `    at ${place(p)}\n`).join('')}`;

function rowText(r: KeyTermsRow): string {
  return [
    `${r.file}${r.line === null ? '' : `:${r.line}`}${r.id === null ? '' : ` ${r.id}`}\n`,
    termLine('loan amount', r.amount),
    ...r.otherAmounts.map((o) => termLine('other amount', o)),
    termLine('term', r.term),
    ...r.otherTerms.map((o) => termLine('other term', o)),
    `  guarantee: ${r.guarantee.modes.join(' + ') || '—'}\n`,
    ...r.guarantee.sources.map((g) => `    ${normalizedText(g.value)}  ${place(g.source)}\n`),
    ...r.checks.map(checkLine),
  ].join('');
}

export const extractCommand: CliCommand = {
  summary: 'the key terms (loan amount, term, guarantee modes) of each record or contract, normalized',
  usage,
  async run(args: string[], io: CliIo): Promise<ExitCode> {
    const parsed = parseOptions(args, {
      json: { type: 'boolean' },
      model: { type: 'string' },
      'no-model': { type: 'boolean' },
      out: { type: 'string', short: 'o' },
      ...SCHEMA_OPTION,
    });
    if (!parsed.ok || parsed.positionals.length !== 1) {
      io.stderr.write(`finlabel extract: ${parsed.ok ? 'expected exactly one DATA.jsonl, contract or FOLDER' : parsed.message}\n\n${usage}`);
      return 2;
    }
    const out = parsed.values.out as string | undefined;
    if (out !== undefined && !/\.(csv|xlsx)$/i.test(out)) {
      io.stderr.write(`finlabel extract: -o ${out}: expected a file ending in .csv or .xlsx\n`);
      return 2;
    }
    if (out !== undefined && parsed.values.json) {
      io.stderr.write('finlabel extract: --json and -o are alternatives; give one\n');
      return 2;
    }
    const target = parsed.positionals[0];
    const schema = await cliSchema('extract', target, parsed.values.schema, io);
    if (!schema) return 2;
    const inputs = await readTermInputs(target, schema);
    if ('error' in inputs) {
      io.stderr.write(`finlabel extract: ${inputs.error}\n`);
      return 2;
    }
    for (const p of inputs.problems) io.stderr.write(`${p}\n`);
    if (!parsed.values['no-model'] && inputs.documents.some(needsPrediction)) {
      const modelDir = resolveModelFolder(parsed.values.model as string | undefined, process.cwd());
      if (!modelDir) io.stderr.write('finlabel extract: no entity model (pass --model DIR): terms without gold labels stay empty\n');
      else {
        let predictor: EntityPredictor;
        try {
          predictor = await EntityPredictor.load(modelDir, {});
        } catch (err) {
          io.stderr.write(
            `finlabel extract: ${err instanceof EntityModelError ? err.message : `cannot load the model ${modelDir}: ${(err as Error).message}`}\n`,
          );
          return 2;
        }
        try {
          io.stderr.write(
            `finlabel extract: terms without gold labels from the model ${predictor.model.name} (confidence ≥ ${predictor.threshold.toFixed(3)})\n`,
          );
          await predictTerms(inputs.documents, predictor);
        } finally {
          await predictor.release();
        }
      }
    }
    const rows = inputs.documents.map(keyTermsRow);
    const checks = rows.reduce((n, r) => n + r.checks.length, 0);
    if (out !== undefined) {
      try {
        await writeFileAtomically(out, /\.xlsx$/i.test(out) ? await termsXlsx(rows) : termsCsv(rows));
      } catch (err) {
        io.stderr.write(`finlabel extract: ${err instanceof ConvertFileError ? err.message : (err as Error).message}\n`);
        return 2;
      }
      io.stdout.write(`${out}: ${rows.length} row${rows.length === 1 ? '' : 's'}, ${checks} check${checks === 1 ? '' : 's'} to review\n`);
    } else if (parsed.values.json) io.stdout.write(`${JSON.stringify({ rows }, null, 2)}\n`);
    else io.stdout.write(rows.map(rowText).join(''));
    return checks > 0 || inputs.problems.length > 0 ? 1 : 0;
  },
};
