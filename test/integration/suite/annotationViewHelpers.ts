import * as vscode from 'vscode';
import { AnnotationViewTestCommands, type AnnotationViewSnapshot } from '../testApi';
import type { RenderReport } from '../webviewProbeProtocol';
import { waitFor } from './helpers';

export const VIEW_TYPE = 'finlabel.annotationView';

export async function snapshot(uri: vscode.Uri): Promise<AnnotationViewSnapshot | undefined> {
  return vscode.commands.executeCommand<AnnotationViewSnapshot | undefined>(AnnotationViewTestCommands.lastRendered, uri);
}

/** Waits until the view of `uri` reports (from its DOM) a render that satisfies `ok`. */
export async function rendered(uri: vscode.Uri, what: string, ok: (r: RenderReport) => boolean, ms = 20_000): Promise<RenderReport> {
  let last: RenderReport | null | undefined;
  try {
    return await waitFor(
      what,
      async () => {
        last = (await snapshot(uri))?.report;
        return last && ok(last) ? last : undefined;
      },
      ms,
    );
  } catch (e) {
    throw new Error(`${(e as Error).message}; last render: ${JSON.stringify(last)}`, { cause: e });
  }
}
