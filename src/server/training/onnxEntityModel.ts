/**
 * An exported entity model folder run with onnxruntime-node, for the default model's training driver
 * and its tests: tokenize, run every window of a text in one batch, decode spans. (The language
 * server's own predictor lives in src/server/inference.)
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import type { LabelType } from '../../common/labelSchema';
import { BioScheme } from '../entities/bioScheme';
import { decodeEntities, type PredictedEntity } from '../entities/entityDecoding';
import { encodeText, type EncodedText } from '../entities/entityEncoding';
import { DEFAULT_WINDOW_OPTIONS, type WindowOptions } from '../entities/tokenWindows';
import { BertTokenizer } from '../tokenization/bertTokenizer';
import { loadTokenizerFolder } from '../tokenization/tokenizerFolder';
import type { EntityModelLabels } from './entityTraining';

export interface OnnxEntityModelOptions {
  /** model.onnx (default) or model.int8.onnx. */
  file?: string;
  /** ONNX Runtime intra-op threads (default 2). */
  threads?: number;
  windows?: WindowOptions;
}

export class OnnxEntityModel {
  private constructor(
    readonly dir: string,
    readonly file: string,
    private readonly session: ort.InferenceSession,
    private readonly tokenizer: BertTokenizer,
    readonly scheme: BioScheme,
    private readonly windows: WindowOptions,
  ) {}

  static async load(dir: string, options: OnnxEntityModelOptions = {}): Promise<OnnxEntityModel> {
    const file = options.file ?? 'model.onnx';
    const labelsFile = path.join(dir, 'labels.json');
    const labels = JSON.parse(readFileSync(labelsFile, 'utf8')) as EntityModelLabels;
    const types: LabelType[] = labels.types.map((t) => ({ ...t, description: '' }));
    const scheme = new BioScheme(types);
    if (scheme.names.join() !== labels.bio.join()) {
      throw new Error(`${labelsFile}: "bio" ${JSON.stringify(labels.bio)} does not follow from its types (expected ${JSON.stringify(scheme.names)})`);
    }
    const tokenizer = BertTokenizer.from(loadTokenizerFolder(dir));
    const threads = options.threads ?? 2;
    const session = await ort.InferenceSession.create(path.join(dir, file), { intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential' });
    return new OnnxEntityModel(dir, file, session, tokenizer, scheme, options.windows ?? DEFAULT_WINDOW_OPTIONS);
  }

  encode(text: string): EncodedText {
    return encodeText(this.tokenizer, text, this.windows);
  }

  /** Argmax label id and its softmax probability per input position, one row per window. */
  async labelIds(encoded: EncodedText): Promise<{ ids: number[][]; probs: number[][] }> {
    const rows = encoded.inputIds;
    const width = Math.max(...rows.map((r) => r.length));
    const inputIds = new BigInt64Array(rows.length * width);
    const mask = new BigInt64Array(rows.length * width);
    rows.forEach((row, b) => {
      row.forEach((id, t) => {
        inputIds[b * width + t] = BigInt(id);
        mask[b * width + t] = 1n;
      });
    });
    const dims = [rows.length, width];
    const out = await this.session.run({ input_ids: new ort.Tensor('int64', inputIds, dims), attention_mask: new ort.Tensor('int64', mask, dims) });
    const logits = out.logits;
    const labelCount = logits.dims[2];
    const data = logits.data as Float32Array;
    const ids: number[][] = [];
    const probs: number[][] = [];
    rows.forEach((row, b) => {
      const rowIds: number[] = [];
      const rowProbs: number[] = [];
      for (let t = 0; t < row.length; t++) {
        const at = (b * width + t) * labelCount;
        let best = 0;
        for (let k = 1; k < labelCount; k++) if (data[at + k] > data[at + best]) best = k;
        let sum = 0;
        for (let k = 0; k < labelCount; k++) sum += Math.exp(data[at + k] - data[at + best]);
        rowIds.push(best);
        rowProbs.push(1 / sum);
      }
      ids.push(rowIds);
      probs.push(rowProbs);
    });
    return { ids, probs };
  }

  async predict(text: string): Promise<PredictedEntity[]> {
    const encoded = this.encode(text);
    if (encoded.tokens.ids.length === 0) return [];
    const { ids, probs } = await this.labelIds(encoded);
    return decodeEntities(encoded, this.scheme, ids, probs);
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
