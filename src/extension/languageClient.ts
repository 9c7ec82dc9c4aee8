import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  TransportKind,
  type ErrorHandler,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import type { ServerStartOptions } from '../common/lspProtocol';

const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 3 * 60_000;

/**
 * Restarts a crashed language server and tells the user each time, so it is never silently gone;
 * after MAX_RESTARTS crashes in RESTART_WINDOW_MS it stays down and offers a manual restart.
 */
class ReportingErrorHandler implements ErrorHandler {
  private crashes: number[] = [];

  constructor(private readonly output: vscode.OutputChannel) {}

  error(): { action: ErrorAction } {
    return { action: ErrorAction.Continue };
  }

  closed(): { action: CloseAction; message?: string; handled?: boolean } {
    const now = Date.now();
    this.crashes = this.crashes.filter((t) => now - t < RESTART_WINDOW_MS);
    this.crashes.push(now);
    this.output.appendLine(`[${new Date().toISOString()}] the FinLabel language server stopped unexpectedly (${this.crashes.length} in the last 3 minutes)`);
    if (this.crashes.length > MAX_RESTARTS) {
      void vscode.window
        .showErrorMessage('The FinLabel language server keeps crashing and was not restarted. See the FinLabel output for details.', 'Restart', 'Show Output')
        .then((choice) => {
          if (choice === 'Restart') void vscode.commands.executeCommand('finlabel.restartServer');
          if (choice === 'Show Output') this.output.show();
        });
      return { action: CloseAction.DoNotRestart, handled: true };
    }
    void vscode.window.showWarningMessage(
      'The FinLabel language server stopped unexpectedly and was restarted. Your annotations are in the editor; nothing was lost.',
    );
    return { action: CloseAction.Restart, handled: true };
  }
}

export function createLanguageClient(
  context: vscode.ExtensionContext,
  output: vscode.LogOutputChannel,
  initializationOptions: () => ServerStartOptions,
): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'jsonl' },
      { scheme: 'file', pattern: '**/*.jsonl' },
      { scheme: 'untitled', language: 'jsonl' },
      // Contract files, labelled into a dataset record: only .txt and .md, not every plain-text file.
      { scheme: 'file', pattern: '**/*.{txt,md}' },
      // Credit CSV files: scores as inlay hints and hovers; other features ignore them.
      { scheme: 'file', pattern: '**/*.csv' },
    ],
    outputChannel: output,
    errorHandler: new ReportingErrorHandler(output),
    // A function, so a restart after a crash picks up the current settings.
    initializationOptions,
  };
  return new LanguageClient('finlabel', 'FinLabel Language Server', serverOptions, clientOptions);
}
