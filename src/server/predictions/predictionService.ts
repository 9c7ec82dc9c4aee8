import * as path from 'node:path';
import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  documentPredictionsNotification,
  predictionModelNotification,
  type LineRange,
  type PredictionDecoration,
  type PredictionDepth,
  type PredictionDisagreement,
  type PredictionModelStatus,
  type PredictionSettings,
} from '../../common/lspProtocol';
import type { LabelSchema } from '../../common/labelSchema';
import { spansOfLine } from '../dataset/spanPlacement';
import type { PredictedEntity } from '../entities/entityDecoding';
import { CodePointText } from '../dataset/codePointText';
import { isContractUri, type ContractDocuments } from '../contracts/contractDocuments';
import { resolveModelFolder } from '../inference/shippedModelFolders';
import { EntityModelError } from '../inference/entityModelFolder';
import { EntityPredictor } from '../inference/entityPredictor';
import { isDataset } from '../../common/datasetFiles';
import type { JsonlDocuments } from '../lsp/jsonlDocuments';
import { spanWindow } from '../lsp/lineWindow';
import type { DepthTally } from '../calibration/outOfDepth';
import { disagreements, type TypedSpan } from './disagreements';
import { documentDepth } from './predictionDepth';
import { colorOf, contractRange, placeInContract, placeInRecord } from './predictionPlacement';

/** Predictions wait for typing to pause this long. */
export const PREDICTION_DELAY_MS = 300;
/** Records predicted per session call batch; the document version is checked between batches. */
const RECORDS_PER_BATCH = 16;

export const DEFAULT_PREDICTION_SETTINGS: PredictionSettings = {
  modelPath: '',
  enabled: true,
  showDisagreements: false,
  precision: 'auto',
  confidenceThreshold: null,
};

/** The predictions of one record (JSONL line) or of a contract's whole text (line -1). */
export interface PredictedText {
  line: number;
  text: string;
  spans: PredictedEntity[];
  /** The text's lowest token margin on the constrained path (its uncertainty; lower is less sure); null when it has no tokens. */
  minMargin: number | null;
  /** Spans decoded before the threshold, and how many it left out. */
  candidates: number;
  lowConfidence: number;
}

/** What was last published for a document. */
export interface DocumentPredictionState {
  version: number;
  model: string;
  decorations: PredictionDecoration[];
  texts: PredictedText[];
  /** The threshold and the out-of-depth assessment (absent without a model). */
  depth?: PredictionDepth;
}

interface Tracked {
  timer?: ReturnType<typeof setTimeout>;
  /** Bumped by every new computation: an older one stops at its next check. */
  generation: number;
  visible: LineRange[];
  /** Lines the last computation covered (undefined: all). */
  window: LineRange[] | undefined;
  published?: DocumentPredictionState;
}

/**
 * Entity predictions for open datasets (each record's text) and contract files: computed after a
 * pause in typing, the lines on screen first, dropped when the document changed meanwhile, and
 * cached per text by the predictor, so an edit recomputes only the records whose text changed.
 */
export class PredictionService {
  private settings: PredictionSettings = DEFAULT_PREDICTION_SETTINGS;
  private predictor: EntityPredictor | undefined;
  private loading: Promise<void> = Promise.resolve();
  /** Keyed by precision and folder. */
  private readonly predictors = new Map<string, Promise<EntityPredictor>>();
  private readonly tracked = new Map<string, Tracked>();
  private readonly warned = new Set<string>();
  private status: PredictionModelStatus = { state: 'none', message: 'no entity model loaded yet' };

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly jsonl: JsonlDocuments,
    private readonly contracts: ContractDocuments,
    private readonly schema: () => LabelSchema,
    private readonly delayMs = PREDICTION_DELAY_MS,
  ) {
    documents.onDidOpen((e) => this.schedule(e.document.uri, 0));
    documents.onDidChangeContent((e) => this.schedule(e.document.uri, this.delayMs));
    documents.onDidClose((e) => {
      const t = this.tracked.get(e.document.uri);
      if (t?.timer) clearTimeout(t.timer);
      this.tracked.delete(e.document.uri);
    });
  }

  get modelStatus(): PredictionModelStatus {
    return this.status;
  }

  /** The loaded entity model's predictor, when one is ready. */
  get activePredictor(): EntityPredictor | undefined {
    return this.predictor;
  }

  /** Applies the settings: loads the model folder they name (one session per folder, kept) and recomputes every open document. */
  configure(settings: PredictionSettings | undefined, workspaceRoots: readonly string[]): Promise<void> {
    const next = { ...DEFAULT_PREDICTION_SETTINGS, ...settings };
    this.settings = next;
    this.loading = this.loading.then(() => this.load(next, workspaceRoots[0] ?? process.cwd()));
    return this.loading;
  }

  /** The predictions of a document when they are for its current version. */
  current(uri: string): DocumentPredictionState | undefined {
    const published = this.tracked.get(uri)?.published;
    const doc = this.documents.get(uri);
    return published && doc && published.version === doc.version ? published : undefined;
  }

  /** The lines editors show changed: a large dataset gets predictions for the new lines. */
  setVisibleLines(uri: string, ranges: LineRange[]): void {
    const t = this.track(uri);
    t.visible = ranges;
    const outside = t.window !== undefined && !ranges.every((r) => t.window!.some((w) => w.start <= r.start && r.end <= w.end));
    if (outside) this.schedule(uri, 0);
  }

  schedule(uri: string, delayMs: number): void {
    if (!isDataset(uri, this.documents.get(uri)?.languageId) && !isContractUri(uri)) return;
    const t = this.track(uri);
    if (t.timer) clearTimeout(t.timer);
    t.generation++;
    const generation = t.generation;
    t.timer = setTimeout(() => {
      t.timer = undefined;
      void this.compute(uri, generation).catch((err: unknown) =>
        this.connection.console.error(`predictions for ${uri}: ${(err as Error).stack ?? String(err)}`),
      );
    }, delayMs);
  }

  private track(uri: string): Tracked {
    let t = this.tracked.get(uri);
    if (!t) {
      t = { generation: 0, visible: [], window: undefined };
      this.tracked.set(uri, t);
    }
    return t;
  }

  private async load(settings: PredictionSettings, base: string): Promise<void> {
    const previous = this.predictor;
    this.predictor = undefined;
    if (!settings.enabled) {
      this.setStatus({ state: 'off', message: 'entity predictions are off (finlabel.predictions.enabled)' });
    } else {
      const dir = resolveModelFolder(settings.modelPath, base);
      if (!dir) {
        this.setStatus({
          state: 'none',
          message: 'no entity model: set finlabel.entityModel.path to a trained model folder (this installation has no models/default-entities)',
        });
      } else {
        this.setStatus({ state: 'loading', dir, message: `loading the entity model ${dir}` });
        try {
          const key = `${settings.precision}:${dir}`;
          let pending = this.predictors.get(key);
          if (!pending) {
            pending = EntityPredictor.load(dir, { precision: settings.precision });
            this.predictors.set(key, pending);
            pending.catch(() => this.predictors.delete(key));
          }
          this.predictor = await pending;
          this.predictor.setMinConfidence(settings.confidenceThreshold ?? null);
          const model = this.predictor.model;
          const threshold = `confidence threshold ${this.predictor.threshold.toFixed(2)} (${settings.confidenceThreshold !== null && settings.confidenceThreshold !== undefined ? 'finlabel.predictions.confidenceThreshold' : model.calibration ? 'calibrated on its dev split' : 'uncalibrated model: every span shown'})`;
          this.setStatus({
            state: 'ready',
            model: model.name,
            dir: model.dir,
            message: `entity model ${model.name} (${path.basename(this.predictor.onnxFile)}, ${model.scheme.types.map((t) => t.tag).join(', ')}, ${threshold}) from ${model.dir}`,
          });
        } catch (err) {
          const message = err instanceof EntityModelError ? err.message : `${dir}: cannot load the entity model: ${(err as Error).message}`;
          this.setStatus({ state: 'error', dir, message });
          if (!this.warned.has(message)) {
            this.warned.add(message);
            void this.connection.window.showWarningMessage(`FinLabel: no entity predictions. ${message}`);
          }
        }
      }
    }
    if (previous && previous !== this.predictor) {
      // Keep one session per folder only while it is in use.
      for (const [key, p] of this.predictors) {
        if ((await p.catch(() => undefined)) === previous) this.predictors.delete(key);
      }
      void previous.release();
    }
    for (const doc of this.documents.all()) this.schedule(doc.uri, 0);
  }

  private setStatus(status: PredictionModelStatus): void {
    this.status = status;
    this.connection.console.info(`FinLabel predictions: ${status.message}`);
    void this.connection.sendNotification(predictionModelNotification, status);
  }

  private async compute(uri: string, generation: number): Promise<void> {
    const t = this.tracked.get(uri);
    const doc = this.documents.get(uri);
    if (!t || !doc || t.generation !== generation) return;
    const predictor = this.predictor;
    if (!predictor) {
      if (t.published && t.published.decorations.length > 0) this.publish(uri, t, { version: doc.version, model: '', decorations: [], texts: [] }, []);
      return;
    }
    const stale = (): boolean => t.generation !== generation || this.documents.get(uri)?.version !== doc.version || this.predictor !== predictor;
    const color = (s: PredictedEntity): string => colorOf(this.schema(), s, predictor.model.scheme.types.find((x) => x.tag === s.tag)?.color);
    if (isDataset(doc.uri, doc.languageId)) await this.computeDataset(uri, doc, t, predictor, stale, color);
    else if (isContractUri(uri)) {
      const text = doc.getText();
      const { spans, minMargin, candidates, lowConfidence } = await predictor.predict(text);
      if (stale()) return;
      const cp = new CodePointText(text);
      const texts = [{ line: -1, text, spans, minMargin, candidates, lowConfidence }];
      const depth = this.depthOf(predictor, texts, spans.length);
      const decorations = depth.outOfDepth ? [] : placeInContract(doc, cp, spans, color);
      this.publish(
        uri,
        t,
        { version: doc.version, model: predictor.model.name, decorations, texts, depth },
        depth.outOfDepth ? [] : this.contractDisagreements(uri, doc, cp, spans),
      );
    }
  }

  private async computeDataset(
    uri: string,
    doc: TextDocument,
    t: Tracked,
    predictor: EntityPredictor,
    stale: () => boolean,
    color: (s: PredictedEntity) => string,
  ): Promise<void> {
    const entry = this.jsonl.get(uri);
    if (!entry) return;
    const model = entry.model;
    t.window = spanWindow(model.lineCount, t.visible);
    // The lines on screen first, then the rest of the window (or of the document).
    const order: number[] = [];
    const seen = new Set<number>();
    const add = (from: number, to: number): void => {
      for (let l = Math.max(0, from); l < Math.min(to, model.lineCount); l++) {
        if (seen.has(l)) continue;
        seen.add(l);
        order.push(l);
      }
    };
    for (const r of t.visible) add(r.start, r.end);
    const visibleCount = order.length;
    let shownVisible = visibleCount === 0;
    for (const r of t.window ?? [{ start: 0, end: model.lineCount }]) add(r.start, r.end);
    const decorations: PredictionDecoration[] = [];
    const texts: PredictedText[] = [];
    const found: PredictionDisagreement[] = [];
    for (let i = 0; i < order.length; i += RECORDS_PER_BATCH) {
      const lines = order.slice(i, i + RECORDS_PER_BATCH).flatMap((line) => {
        const text = model.analysis(line).text;
        return text ? [{ line, text }] : [];
      });
      const predicted = await predictor.predictMany(lines.map((l) => l.text.map.decoded));
      if (stale()) return;
      lines.forEach(({ line, text }, k) => {
        const { spans, minMargin, candidates, lowConfidence } = predicted[k];
        texts.push({ line, text: text.map.decoded, spans, minMargin, candidates, lowConfidence });
        decorations.push(...placeInRecord(line, text.literal.start, text.map, spans, color));
        if (this.settings.showDisagreements) found.push(...this.recordDisagreements(model, line, text, spans));
      });
      const done = i + RECORDS_PER_BATCH;
      // The visible records show as soon as they are done; the rest with the last batch.
      if (done >= order.length || (!shownVisible && done >= visibleCount)) {
        shownVisible = true;
        const depth = this.depthOf(predictor, texts, decorations.length);
        this.publish(
          uri,
          t,
          { version: doc.version, model: predictor.model.name, decorations: depth.outOfDepth ? [] : [...decorations], texts: [...texts], depth },
          depth.outOfDepth ? [] : [...found],
        );
      }
    }
    if (order.length === 0)
      this.publish(uri, t, { version: doc.version, model: predictor.model.name, decorations: [], texts: [], depth: this.depthOf(predictor, [], 0) }, []);
  }

  /** The threshold in force and whether the predicted texts look unlike the model's dev data. */
  private depthOf(predictor: EntityPredictor, tallies: readonly DepthTally[], shown: number): PredictionDepth {
    const source = predictor.thresholdOverride !== null ? 'setting' : predictor.model.calibration ? 'card' : 'none';
    return documentDepth(predictor.model.calibration, tallies, shown, predictor.threshold, source);
  }

  private recordDisagreements(
    model: Parameters<typeof spansOfLine>[0],
    line: number,
    text: { literal: { start: number }; map: Parameters<typeof placeInRecord>[2] },
    spans: readonly PredictedEntity[],
  ): PredictionDisagreement[] {
    const gold: TypedSpan[] = spansOfLine(model, line).map((g) => ({ tag: g.tag, entity: g.entity, start: g.start, end: g.end, value: g.value }));
    const contentStart = text.literal.start + 1;
    return disagreements(gold, spans).map((d) => ({
      kind: d.kind,
      message: d.message,
      range: { start: { line, character: contentStart + text.map.rawOffsetOf(d.start) }, end: { line, character: contentStart + text.map.rawOffsetOf(d.end) } },
    }));
  }

  private contractDisagreements(uri: string, doc: TextDocument, cp: CodePointText, spans: readonly PredictedEntity[]): PredictionDisagreement[] {
    if (!this.settings.showDisagreements) return [];
    const gold: TypedSpan[] = this.contracts.spans(uri).map((g) => ({ tag: g.tag, entity: g.entity, start: g.start, end: g.end, value: g.value }));
    return disagreements(gold, spans).map((d) => ({ kind: d.kind, message: d.message, range: contractRange(doc, cp, d.start, d.end) }));
  }

  private publish(uri: string, t: Tracked, state: DocumentPredictionState, found: PredictionDisagreement[]): void {
    t.published = state;
    void this.connection.sendNotification(documentPredictionsNotification, {
      uri,
      version: state.version,
      model: state.model,
      spans: state.decorations,
      disagreements: found,
      ...(state.depth ? { depth: state.depth } : {}),
    });
  }
}
