import type { CancellationToken, Connection } from 'vscode-languageserver/node';
import {
  nextUncertainCreditRowRequest,
  nextUncertainRecordRequest,
  scoreRecordsRequest,
  type ModelLoopFailure,
  type RecordFilter,
} from '../../common/lspProtocol';
import type { CreditDocuments } from '../credit/creditDocuments';
import type { JsonlDocumentModel } from '../dataset/documentModel';
import type { ModelFilterResult } from '../dataset/recordView';
import type { EntityPredictor } from '../inference/entityPredictor';
import { modelFilter, nextUncertain, noModelFilter, uncertaintyRanking } from '../predictions/modelFilters';
import type { PredictionService } from '../predictions/predictionService';
import type { RecordPredictions } from '../predictions/recordPredictions';
import type { SuggestionService } from '../predictions/suggestions';
import { handleRequest } from './checkedHandlers';
import type { JsonlDocuments } from './jsonlDocuments';

/** Records predicted per scoreRecords call when the client does not say: about a second of the default model. */
const DEFAULT_BUDGET = 256;
const MAX_BUDGET = 5_000;

/**
 * The model-in-the-loop requests: predict a dataset's records in slices (scoreRecords), the next most
 * uncertain unlabelled record, the next credit row closest to the threshold, and the annotation view's
 * model filters (used by the recordView request).
 */
export class ModelLoopRequests {
  constructor(
    private readonly documents: JsonlDocuments,
    private readonly predictions: PredictionService,
    private readonly records: RecordPredictions,
    private readonly credit: CreditDocuments,
    private readonly suggestions: SuggestionService,
  ) {}

  register(connection: Connection): void {
    handleRequest(connection, scoreRecordsRequest, async (params, token) => {
      const ready = this.ready(params.uri);
      if (!ready.ok) return ready;
      const budget = Math.min(MAX_BUDGET, Math.max(0, Math.trunc(params.budget ?? DEFAULT_BUDGET)));
      const progress = await this.records.score(ready.model, params.records === 'labelled' ? 'labelled' : 'unlabelled', budget, token);
      const result = {
        ok: true as const,
        model: ready.predictor.model.name,
        records: progress.records,
        scored: progress.scored,
        predicted: progress.predicted,
      };
      if (params.preAnnotate !== true || params.records === 'labelled') return result;
      const current = this.documents.get(params.uri);
      if (!current) return result;
      this.suggestions.preAnnotate(params.uri, current.model);
      return { ...result, suggestions: this.suggestions.count(params.uri, current.model) };
    });

    handleRequest(connection, nextUncertainRecordRequest, async (params, token) => {
      const ready = this.ready(params.uri);
      if (!ready.ok) return ready;
      await this.records.prepareKeys(ready.model, token);
      const ranking = uncertaintyRanking(ready.model, this.records);
      const next = nextUncertain(ranking, params.fromLine);
      const record = next
        ? { line: next.line, index: next.index, id: ready.model.recordId(next.line), minMargin: next.minMargin, rank: ranking.records.indexOf(next) + 1 }
        : null;
      return { ok: true, model: ready.predictor.model.name, record, unlabelled: ranking.unlabelled, scored: ranking.scored };
    });

    handleRequest(connection, nextUncertainCreditRowRequest, (params) => this.credit.nextUncertainRow(params.uri, params.fromLine));
  }

  /** The annotation view's filter `filter` of a dataset from the predictions made so far (or why it keeps nothing). */
  async filterOf(model: JsonlDocumentModel, filter: RecordFilter, token?: CancellationToken): Promise<ModelFilterResult | undefined> {
    if (filter !== 'uncertain' && filter !== 'disagrees') return undefined;
    const predictor = this.predictions.activePredictor;
    if (!predictor) return noModelFilter(this.predictions.modelStatus.message);
    await this.records.prepareKeys(model, token);
    return modelFilter(model, this.records, filter, predictor.model.name);
  }

  private ready(uri: string): { ok: true; model: JsonlDocumentModel; predictor: EntityPredictor } | ModelLoopFailure {
    const entry = this.documents.get(uri);
    if (!entry) return { ok: false, reason: 'not-dataset', message: 'This document is not an open dataset JSONL.' };
    const predictor = this.predictions.activePredictor;
    if (!predictor) return { ok: false, reason: 'no-model', message: `No entity model is active: ${this.predictions.modelStatus.message}.` };
    return { ok: true, model: entry.model, predictor };
  }
}
