import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { labelSelection } from './labelSelectionCommand';
import type { LabelSchemaState } from './labelSchemaState';

/**
 * Alt+1..Alt+9 ("finlabel.labelWithKey" with the key as argument): labels the selection with the
 * type that has that shortcut key in the label schema, without a quick pick.
 */
export async function labelWithKey(client: LanguageClient, schema: LabelSchemaState, key: unknown): Promise<boolean> {
  const k = typeof key === 'number' ? String(key) : key;
  if (typeof k !== 'string' || !/^[1-9]$/.test(k)) {
    void vscode.window.showWarningMessage(`FinLabel: "Label with Key" needs a key from 1 to 9, got ${JSON.stringify(key) ?? 'none'}.`);
    return false;
  }
  const types = await schema.currentTypes();
  const type = types.find((t) => t.key === k);
  if (!type) {
    const keys = types.filter((t) => t.key !== undefined).map((t) => `Alt+${t.key} ${t.name}`);
    const edit = 'Edit Label Schema';
    void vscode.window
      .showInformationMessage(
        `FinLabel: no label type has the key ${k} (Alt+${k}). ${keys.length > 0 ? `Keys in use: ${keys.join(', ')}.` : 'No type has a key.'}`,
        edit,
      )
      .then((choice) => {
        if (choice === edit) void vscode.commands.executeCommand('finlabel.editLabelSchema');
      });
    return false;
  }
  return labelSelection(client, type.name);
}
