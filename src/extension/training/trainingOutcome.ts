import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TrainingEndedParams, TrainingProblem } from '../../common/lspProtocol';

const SHOW_OUTPUT = 'Show Output';
const SHOW_PROBLEMS = 'Show Problems';

/** Opens the first problem's file at its line. */
export async function showProblems(problems: readonly TrainingProblem[]): Promise<void> {
  const first = problems[0];
  if (!first) return;
  const line = Math.max(0, first.line - 1);
  await vscode.window.showTextDocument(vscode.Uri.file(first.file), { selection: new vscode.Range(line, 0, line, 0) });
}

/** What the user is told when a job ends, and the actions offered: each failure says what to do. */
export function showOutcome(e: TrainingEndedParams, output: vscode.OutputChannel): void {
  const notes = e.notes.length > 0 ? ` ${e.notes.join('; ')}.` : '';
  const leftOut =
    e.problems.length > 0
      ? ` ${e.problems.length} ${e.job.task === 'entities' ? 'label(s)' : 'row(s) or cell(s)'} of the dataset were left out or filled (see the log).`
      : '';
  const respond = async (choice: string | undefined): Promise<void> => {
    if (choice === SHOW_OUTPUT) output.show();
    else if (choice === SHOW_PROBLEMS) await showProblems(e.problems);
    else if (choice === 'Select as Active' && e.outcome === 'finished') await vscode.commands.executeCommand('finlabel.selectActiveModel', e.modelDir);
    else if (choice === 'Create Python Environment') await vscode.commands.executeCommand('finlabel.createPythonEnvironment');
    else if (choice === 'Select Interpreter') await vscode.commands.executeCommand('finlabel.selectPythonInterpreter');
    else if (choice === 'Open Folder' && e.outcome === 'failed') {
      const folder = (e.data as { path?: string } | undefined)?.path;
      if (folder)
        await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(folder)).then(undefined, () => vscode.env.openExternal(vscode.Uri.file(folder)));
    } else if (choice === 'Open Settings')
      await vscode.commands.executeCommand('workbench.action.openSettings', `finlabel.training.${e.job.task === 'entities' ? 'entityBase' : 'creditBase'}`);
  };
  const problemAction = e.problems.length > 0 ? [SHOW_PROBLEMS] : [];
  if (e.outcome === 'finished') {
    const figure =
      e.result.bestDevMetric === null
        ? ''
        : ` — dev ${e.job.task === 'entities' ? 'F1' : 'AUC'} ${e.result.bestDevMetric.toFixed(3)} (epoch ${e.result.bestEpoch})`;
    const text = `FinLabel: ${e.job.task === 'entities' ? 'entity' : 'credit'} model ${path.basename(e.modelDir)} trained${figure}.${notes}${leftOut}`;
    void vscode.window.showInformationMessage(text, 'Select as Active', ...problemAction, SHOW_OUTPUT).then(respond);
    return;
  }
  if (e.outcome === 'cancelled') {
    void vscode.window.showInformationMessage(`FinLabel: ${e.message}`);
    return;
  }
  switch (e.kind) {
    case 'missing-package':
    case 'worker-unavailable':
      void vscode.window
        .showErrorMessage(`FinLabel: training needs the Python worker: ${e.message}`, 'Create Python Environment', 'Select Interpreter', SHOW_OUTPUT)
        .then(respond);
      return;
    case 'base-model-invalid': {
      const data = e.data as { path?: string; missing?: string[] } | undefined;
      const missing = data?.missing?.length ? ` It lacks ${data.missing.join(', ')}.` : '';
      void vscode.window
        .showErrorMessage(
          `FinLabel: the base model folder ${data?.path ?? ''} cannot be used.${missing} ${e.message}`,
          'Open Folder',
          'Open Settings',
          SHOW_OUTPUT,
        )
        .then(respond);
      return;
    }
    case 'out-of-memory':
      void vscode.window.showErrorMessage(`FinLabel: ${e.message}${notes}`, SHOW_OUTPUT).then(respond);
      return;
    case 'dataset':
      void vscode.window.showErrorMessage(`FinLabel: the dataset cannot be trained on: ${e.message}`, SHOW_PROBLEMS, SHOW_OUTPUT).then(respond);
      return;
    default:
      void vscode.window.showErrorMessage(`FinLabel: training failed: ${e.message}${notes}`, ...problemAction, SHOW_OUTPUT).then(respond);
  }
}
