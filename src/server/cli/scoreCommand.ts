import { randomBytes } from 'node:crypto';
import { readFile, realpath, rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { CreditConfigError } from '../credit/creditColumns';
import { decodeCsvBytes, CsvEncodingError, type CsvEncoding } from '../credit/csvBytes';
import { CsvSyntaxError } from '../credit/csvTable';
import { CreditModelError, loadCreditModel, type CreditModel } from '../credit/creditModelFolder';
import { CreditProbabilities } from '../credit/creditProbabilities';
import { creditFileRows, type CreditFileRows } from '../credit/creditRows';
import { DEFAULT_REASONS, reasonText, rowReasons, type RowReason } from '../credit/rowReasons';
import { appendScoreColumns, PREDICTION_COLUMN, PROBABILITY_COLUMN, reasonColumns } from '../credit/scoredCsv';
import { WorkerJobs } from '../worker/workerJobs';
import { cliWorker, PYTHON_ENV } from './cliWorker';
import type { CliCommand, CliIo, ExitCode } from './command';
import { parseOptions } from './parseOptions';

const usage = `Usage: finlabel score FILE.csv --model DIR -o OUT.csv [--threshold T] [--reasons N] [--json]

Scores every row of a credit CSV (UTF-8, UTF-8 with BOM or GBK) with a trained credit model folder
and writes OUT.csv: every input column and row in order, byte for byte, plus the columns
${PROBABILITY_COLUMN} (P(违约), the probability of label 1) and ${PREDICTION_COLUMN} (1 when it reaches the threshold, else 0).
Missing or unparsable feature values are filled with the imputation values saved with the model.

  --model DIR      the credit model folder (prompt.json, tokenizer, adapter, card.json)
  -o, --output F   the scored CSV to write (never the input; written to a temporary file, then renamed)
  --threshold T    P(违约) at which a row is predicted 1 (default 0.5)
  --reasons N      add the columns 主要原因1..N (default ${DEFAULT_REASONS}; 0: none): the fields that raise the
                   row's P(违约) most, as "纳税额 18万元 (+0.21)": P(违约) minus P(违约) with that one field
                   at the model's training reference value (its imputation value). Costs one more
                   forward pass per feature that differs from its reference, per row.
  --json           print a JSON summary (rows, scored, problems) on stdout

Output encoding: as the input (UTF-8, or UTF-8 with BOM); a GBK input is written as UTF-8 with BOM
(Excel opens it), and the command says so. The worker runs on ${PYTHON_ENV}, else the repository's
.venv, else python3 on PATH; it uses the GPU when there is one.

Rows with another number of cells than the header are kept with empty score cells; they, and cells
that are not numbers or not a 0/1 label, are reported on stderr with their line.

Exit codes: 0 every row scored, 1 some rows were reported (the file is still written), 2 nothing
was written (usage, unreadable file or model, worker not available).
`;

const ENCODING_NAMES: Record<CsvEncoding, string> = { 'utf-8': 'UTF-8', 'utf-8-bom': 'UTF-8 with BOM', gbk: 'GBK' };

class ScoreError extends Error {}

async function sameFile(a: string, b: string): Promise<boolean> {
  if (path.resolve(a) === path.resolve(b)) return true;
  try {
    return (await realpath(a)) === (await realpath(b));
  } catch {
    return false;
  }
}

/** Writes next to the target and renames, so a failed run leaves no partial file. */
async function writeAtomically(file: string, bytes: Uint8Array): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.partial`);
  try {
    await writeFile(temp, bytes, { flag: 'wx' });
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/** P(违约) of every scorable row, by its line, from the worker, and the top `reasons` reasons of each. */
async function scoreWithWorker(
  model: CreditModel,
  file: CreditFileRows,
  reasons: number,
): Promise<{ probabilities: Map<number, number>; reasons: Map<number, RowReason[]> }> {
  const rows = file.rows;
  const worker = cliWorker();
  if (!worker) throw new ScoreError(`the worker's Python package (finlabel_worker) was not found next to ${__dirname}`);
  const jobs = new WorkerJobs(worker);
  try {
    const status = await worker.ensureStarted();
    if (status.state !== 'ready') throw new ScoreError(`the Python worker is not available: ${status.state === 'unavailable' ? status.message : status.state}`);
    const probabilities = new CreditProbabilities(model.key);
    const score = async (batch: number[][]): Promise<number[]> => (await jobs.scoreCredit({ modelDir: model.dir, batch })).probabilities;
    await probabilities.fill(rows, score);
    const why = reasons > 0 ? await rowReasons(model, file.header, rows, probabilities, score, reasons) : new Map<number, RowReason[]>();
    return { probabilities: new Map(rows.map((r) => [r.line, probabilities.get(r.prompt)!])), reasons: why };
  } finally {
    jobs.dispose();
    await worker.dispose();
  }
}

export const scoreCommand: CliCommand = {
  summary: 'add P(违约) and 0/1 prediction columns to a credit CSV with a trained credit model',
  usage,
  async run(args: string[], io: CliIo): Promise<ExitCode> {
    const parsed = parseOptions(args, {
      model: { type: 'string' },
      output: { type: 'string', short: 'o' },
      threshold: { type: 'string' },
      reasons: { type: 'string' },
      json: { type: 'boolean' },
    });
    const stop = (message: string): ExitCode => {
      io.stderr.write(`finlabel score: ${message}\n`);
      return 2;
    };
    if (!parsed.ok) return stop(`${parsed.message}\n\n${usage}`);
    const { model: modelDir, output, json } = parsed.values as { model?: string; output?: string; threshold?: string; json?: boolean };
    if (parsed.positionals.length !== 1) return stop(`expected exactly one FILE.csv\n\n${usage}`);
    if (!modelDir) return stop(`--model DIR is required\n\n${usage}`);
    if (!output) return stop(`-o OUT.csv is required\n\n${usage}`);
    const thresholdText = parsed.values.threshold as string | undefined;
    const threshold = thresholdText === undefined ? 0.5 : Number(thresholdText);
    if (!(threshold >= 0 && threshold <= 1) || thresholdText?.trim() === '') return stop(`--threshold must be a number from 0 to 1, got "${thresholdText}"`);
    const reasonsText = parsed.values.reasons as string | undefined;
    const reasonCount = reasonsText === undefined ? DEFAULT_REASONS : Number(reasonsText);
    if (!Number.isInteger(reasonCount) || reasonCount < 0 || reasonsText?.trim() === '')
      return stop(`--reasons must be a whole number from 0, got "${reasonsText}"`);
    const file = parsed.positionals[0];
    if (await sameFile(file, output)) return stop(`the output ${output} is the input file; choose another -o (the input is never overwritten)`);

    let bytes: Uint8Array;
    try {
      bytes = await readFile(file);
    } catch (err) {
      return stop(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    let model: CreditModel;
    let rows: CreditFileRows;
    let text: string;
    try {
      model = loadCreditModel(modelDir);
      rows = creditFileRows(bytes, file, model);
      text = decodeCsvBytes(bytes, file).text;
    } catch (err) {
      if (err instanceof CreditModelError || err instanceof CsvEncodingError || err instanceof CsvSyntaxError || err instanceof CreditConfigError)
        return stop(err.message);
      throw err;
    }
    const taken = [PROBABILITY_COLUMN, PREDICTION_COLUMN, ...reasonColumns(reasonCount)].filter((c) => rows.header.includes(c));
    if (taken.length > 0)
      return stop(
        `${file} already has the column${taken.length === 1 ? '' : 's'} ${taken.join(', ')}; score the file it was made from, or rename ${taken.length === 1 ? 'it' : 'them'}`,
      );

    let probabilities: Map<number, number>;
    let reasons: Map<number, RowReason[]>;
    try {
      ({ probabilities, reasons } = await scoreWithWorker(model, rows, reasonCount));
    } catch (err) {
      return stop(err instanceof ScoreError ? err.message : `scoring failed: ${(err as Error).message}`);
    }
    const reasonCells = new Map([...reasons].map(([line, r]) => [line, r.map(reasonText)]));
    const scored = appendScoreColumns(text, probabilities, threshold, { names: reasonColumns(reasonCount), cells: reasonCells });
    const bom = rows.encoding !== 'utf-8';
    try {
      await writeAtomically(output, Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(scored, 'utf8')]));
    } catch (err) {
      return stop(`cannot write ${output}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }

    for (const p of rows.problems) io.stderr.write(`${p.message}\n`);
    const outputEncoding = bom ? 'utf-8-bom' : 'utf-8';
    if (rows.encoding === 'gbk') io.stderr.write(`finlabel score: ${file} is GBK; ${output} is written as UTF-8 with BOM (Excel opens it as such)\n`);
    const predictedDefaults = [...probabilities.values()].filter((p) => p >= threshold).length;
    const leftOut = rows.problems.filter((p) => p.column === undefined).length;
    io.stderr.write(
      `finlabel score: ${probabilities.size} row${probabilities.size === 1 ? '' : 's'} of ${file} (${ENCODING_NAMES[rows.encoding]}) scored, ${predictedDefaults} at or above ${threshold}` +
        `${leftOut > 0 ? `, ${leftOut} left unscored` : ''}${rows.problems.length > 0 ? `, ${rows.problems.length} reported` : ''}; wrote ${output}\n`,
    );
    if (json) {
      const summary = {
        input: file,
        output,
        model: model.dir,
        encoding: rows.encoding,
        outputEncoding,
        threshold,
        rows: rows.rows.length + leftOut,
        scored: probabilities.size,
        predictedDefaults,
        problems: rows.problems.map((p) => ({ line: p.line, ...(p.column !== undefined ? { column: p.column } : {}), message: p.message })),
      };
      io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    }
    return rows.problems.length > 0 ? 1 : 0;
  },
};
