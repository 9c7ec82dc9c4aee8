import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import {
  SUGGESTIONS_ACCEPTED_COMMAND,
  suggestionSourceStatsNotification,
  type SuggestionsAcceptedArgs,
  type SuggestionSourceCounts,
} from '../../common/lspProtocol';
import { countSources, sourceCountsOf, type SourceCounts } from './sourceCounts';

const STATE_KEY = 'finlabel.suggestionSourceStats';

/**
 * How often the annotator accepted and rejected each suggestion source's suggestions in this workspace
 * (the model, string matching): the hover on a suggestion shows its source's precision from them. Kept
 * in the workspace's state, never in a data file; the language server gets them on start, after a
 * restart and on every change. Accepts are counted by SUGGESTIONS_ACCEPTED_COMMAND, which the Accept
 * code actions run after their edit and the annotation view after its edit; rejections by
 * SuggestionRejections (and taken back when a rejection is undone).
 */
export class SuggestionSourceStats implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[];

  constructor(
    private readonly state: vscode.Memento,
    private readonly client: LanguageClient,
  ) {
    this.disposables = [
      client.onDidChangeState((e) => {
        if (e.newState === State.Running) this.send();
      }),
      vscode.commands.registerCommand(SUGGESTIONS_ACCEPTED_COMMAND, (args?: SuggestionsAcceptedArgs) =>
        this.count('accepted', Array.isArray(args?.sources) ? args.sources : []),
      ),
    ];
  }

  get counts(): SourceCounts {
    return sourceCountsOf(this.state.get<unknown>(STATE_KEY));
  }

  /** Counts one accept or rejection per entry of `sources` (by -1: rejections undone); returns the new counts. */
  async count(field: keyof SuggestionSourceCounts, sources: readonly unknown[], by: 1 | -1 = 1): Promise<SourceCounts> {
    const next = countSources(this.counts, field, sources, by);
    if (sources.length > 0) {
      await this.state.update(STATE_KEY, next);
      this.send();
    }
    return next;
  }

  send(): void {
    if (this.client.state !== State.Running) return;
    void this.client.sendNotification(suggestionSourceStatsNotification, { stats: this.counts });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
