import { CodeActionKind, type CodeAction, type Range } from 'vscode-languageserver/node';
import { EDIT_CONTRACT_LABEL_COMMAND, type EditContractLabelArgs } from '../../common/contractProtocol';
import type { LabelSchema, LabelType } from '../../common/labelSchema';
import type { PredictionDecoration, PredictionDepth, SpanDecoration, TextEdit } from '../../common/lspProtocol';
import type { JsonlDocumentModel } from '../dataset/documentModel';
import { parseJsonlLine } from '../dataset/jsonlLine';
import { addLabelEdit } from '../dataset/labelEdits';
import { lineEdit } from '../dataset/recordRewrite';
import { normalizedHoverLines } from '../normalization/normalizedHover';
import { outOfDepthReason } from './predictionDepth';
import { containsPosition, touchesRange } from './predictionPlacement';
import type { DocumentPredictionState } from './predictionService';

export const ACCEPT_TITLE = 'Accept prediction as label';
export const ACCEPT_ALL_TITLE = 'Accept all predictions in this record';

const describe = (p: PredictionDecoration): string => `${p.entity} ${JSON.stringify(p.value)}`;

/** The schema type a prediction stands for (the model's tag or name in the workspace's schema). */
function typeOf(schema: LabelSchema, p: PredictionDecoration): LabelType | undefined {
  return schema.resolve(p.tag) ?? schema.resolve(p.entity);
}

function isGold(gold: readonly SpanDecoration[], p: PredictionDecoration, type: LabelType): boolean {
  return gold.some((g) => g.start === p.start && g.end === p.end && g.tag === type.tag);
}

/** Applies one edit of line `line` (single-line range) to the line's text. */
function applyToLine(lineText: string, edit: TextEdit): string {
  return lineText.slice(0, edit.range.start.character) + edit.newText + lineText.slice(edit.range.end.character);
}

/**
 * Code actions on a dataset line's predictions under the cursor: accept one as a label, or accept
 * every prediction of the record that is not a label yet. Each is one edit of the line (labels
 * inserted in start order, in the line's style, by labelEdits), so one undo takes it back.
 */
export function datasetPredictionActions(
  model: JsonlDocumentModel,
  schema: LabelSchema,
  uri: string,
  range: Range,
  state: DocumentPredictionState,
  gold: readonly SpanDecoration[],
): CodeAction[] {
  const line = range.start.line;
  if (line >= model.lineCount) return [];
  const ofLine = state.decorations.filter((d) => d.range.start.line === line);
  const under = ofLine.filter((d) => touchesRange(d.range, range.start, range.end));
  const actions: CodeAction[] = [];
  const lineText = model.line(line);
  const parsed = model.parsedLine(line);
  for (const p of under) {
    const type = typeOf(schema, p);
    if (!type || isGold(gold, p, type)) continue;
    const result = addLabelEdit(lineText, parsed, line, { start: p.start, end: p.end }, type);
    if (!result.ok) continue;
    const title = `${ACCEPT_TITLE}: ${describe(p)}`;
    actions.push({ title, kind: CodeActionKind.QuickFix, isPreferred: true, edit: { changes: { [uri]: [result.edit] } } });
  }
  if (under.length > 0) {
    // Added one by one on the line as it becomes, then turned into one minimal edit of the line.
    let text = lineText;
    let added = 0;
    for (const p of ofLine) {
      const type = typeOf(schema, p);
      if (!type || isGold(gold, p, type)) continue;
      const result = addLabelEdit(text, parseJsonlLine(text), line, { start: p.start, end: p.end }, type);
      if (!result.ok) continue;
      text = applyToLine(text, result.edit);
      added++;
    }
    if (added > 0) {
      actions.push({ title: `${ACCEPT_ALL_TITLE} (${added})`, kind: CodeActionKind.QuickFix, edit: { changes: { [uri]: [lineEdit(line, lineText, text)] } } });
    }
  }
  return actions;
}

/** Accepting a contract's prediction labels its characters in the folder's dataset (the contract feature's command). */
export function contractPredictionActions(
  schema: LabelSchema,
  uri: string,
  range: Range,
  state: DocumentPredictionState,
  gold: readonly SpanDecoration[],
): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const p of state.decorations.filter((d) => touchesRange(d.range, range.start, range.end))) {
    const type = typeOf(schema, p);
    if (!type || isGold(gold, p, type)) continue;
    const title = `${ACCEPT_TITLE}: ${describe(p)}`;
    const args: EditContractLabelArgs = { uri, action: { kind: 'label', range: p.range, entity: type.name } };
    actions.push({ title, kind: CodeActionKind.QuickFix, isPreferred: true, command: { title, command: EDIT_CONTRACT_LABEL_COMMAND, arguments: [args] } });
  }
  return actions;
}

/** The predictions under a position. */
export function predictionsAt(state: DocumentPredictionState, line: number, character: number): PredictionDecoration[] {
  return state.decorations.filter((d) => containsPosition(d.range, line, character));
}

/**
 * Hover text of predictions: type, value, calibrated confidence against the threshold in force, the
 * model, and the gold labels they overlap (or that there is none); with `recordMargin`, the record's
 * uncertainty (its lowest token margin on the constrained path).
 */
export function predictionHoverMarkdown(
  predictions: readonly PredictionDecoration[],
  model: string,
  gold: readonly SpanDecoration[],
  recordMargin?: number | null,
  depth?: PredictionDepth,
): string {
  return predictions
    .map((p) => {
      const overlapping = gold.filter((g) => g.start < p.end && p.start < g.end);
      const kind = depth?.thresholdSource === 'none' ? 'raw span score, the model has no calibration' : 'calibrated';
      const threshold = depth
        ? `; shown at ≥ ${(depth.threshold * 100).toFixed(1)}%${depth.thresholdSource === 'setting' ? ' (finlabel.predictions.confidenceThreshold)' : depth.thresholdSource === 'card' ? " (the model card's threshold)" : ''}`
        : '';
      const confidence = p.confidence === null ? 'unknown' : `${(p.confidence * 100).toFixed(1)}% (${kind}${threshold})`;
      const goldLine =
        overlapping.length === 0
          ? 'gold: none'
          : `gold: ${overlapping.map((g) => `${g.entity} \`${g.value.replace(/`/g, 'ˋ')}\` [${g.start}, ${g.end})${g.start === p.start && g.end === p.end && g.tag === p.tag ? ' (agrees)' : ''}`).join('; ')}`;
      const margin =
        recordMargin === undefined || recordMargin === null
          ? []
          : [
              '',
              `record uncertainty (the record's least sure token, which may lie outside this span): margin ${recordMargin.toFixed(3)} between its tag and the next best; "most uncertain first" ranks records by it`,
            ];
      return [
        `**Prediction: ${p.entity}** \`${p.tag}\``,
        '',
        `value: \`${p.value.replace(/`/g, 'ˋ')}\``,
        ...normalizedHoverLines(p.tag, p.value),
        '',
        `confidence: ${confidence}`,
        '',
        `model: ${model}`,
        '',
        goldLine,
        ...margin,
      ].join('\n');
    })
    .join('\n\n---\n\n');
}

/** Hover text of a document whose predictions are hidden because the model is out of its depth there. */
export function outOfDepthHoverMarkdown(model: string, depth: PredictionDepth): string {
  return `**FinLabel: the entity model ${model} is out of its depth here.** ${outOfDepthReason(depth, 'hidden')}.`;
}
