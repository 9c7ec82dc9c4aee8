import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic } from 'vscode-languageserver/node';
import { EDIT_CONTRACT_LABEL_COMMAND, type ContractLabelAction, type EditContractLabelArgs } from '../../common/contractProtocol';
import type { LabelSchema } from '../../common/labelSchema';
import type { AnchoredLabel } from './anchorLabels';
import { CHANGED_CODE, DELETED_CODE, type LabelDiagnosticData, type PlacedContract } from './contractPublishing';

/**
 * Code actions on a contract's labels; each runs EDIT_CONTRACT_LABEL_COMMAND, which edits the record
 * in the dataset. Quick fixes for an edited or deleted label's warning (take the new text, remove);
 * for a label under the cursor or selection, change its type or remove it.
 */
export function contractCodeActions(c: PlacedContract, params: CodeActionParams, schema: LabelSchema): CodeAction[] {
  const uri = params.textDocument.uri;
  const actions: CodeAction[] = [];
  const fixed = new Set<number>();
  for (const d of params.context.diagnostics) {
    const index = labelIndexOf(d);
    const label = index === undefined ? undefined : c.labels.find((l) => l.index === index);
    if (!label) continue;
    fixed.add(label.index);
    if (d.code === CHANGED_CODE) {
      const now = c.text.slice(label.start, label.end);
      actions.push({
        ...action(uri, `Update the label to the new text "${now}"`, { kind: 'accept', labelIndex: label.index }, CodeActionKind.QuickFix),
        diagnostics: [d],
        isPreferred: true,
      });
    }
    actions.push({
      ...action(uri, `Remove the ${label.entity} label "${label.value}"`, { kind: 'remove', labelIndex: label.index }, CodeActionKind.QuickFix),
      diagnostics: [d],
    });
  }
  const from = c.text.codePointOffset(c.document.offsetAt(params.range.start), 'floor');
  const to = c.text.codePointOffset(c.document.offsetAt(params.range.end), 'ceil');
  for (const label of c.labels.filter((l) => l.start < l.end && touches(l, from, to))) {
    const value = c.text.slice(label.start, label.end);
    const current = schema.resolve(label.entity);
    for (const type of schema.types) {
      if (type === current) continue;
      actions.push(
        action(
          uri,
          `Change the label of "${value}" to ${type.name} (${type.tag})`,
          { kind: 'retype', labelIndex: label.index, entity: type.name },
          CodeActionKind.RefactorRewrite,
        ),
      );
    }
    if (!fixed.has(label.index)) {
      actions.push(action(uri, `Remove the ${label.entity} label "${value}"`, { kind: 'remove', labelIndex: label.index }, CodeActionKind.RefactorRewrite));
    }
  }
  return actions;
}

/** A label is under an empty selection that touches it, or under a selection that overlaps it. */
function touches(l: AnchoredLabel, from: number, to: number): boolean {
  return from === to ? l.start <= from && from <= l.end : l.start < to && from < l.end;
}

function labelIndexOf(d: Diagnostic): number | undefined {
  if (d.source !== 'finlabel' || (d.code !== CHANGED_CODE && d.code !== DELETED_CODE)) return undefined;
  const index = (d.data as Partial<LabelDiagnosticData> | undefined)?.labelIndex;
  return Number.isInteger(index) ? index : undefined;
}

function action(uri: string, title: string, labelAction: ContractLabelAction, kind: string): CodeAction {
  const args: EditContractLabelArgs = { uri, action: labelAction };
  return { title, kind, command: { title, command: EDIT_CONTRACT_LABEL_COMMAND, arguments: [args] } };
}
