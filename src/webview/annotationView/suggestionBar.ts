/**
 * The bar under the record's text once the document has suggestions to offer (pre-annotated, or string
 * matching found labelled strings): the focused suggestion (what Enter accepts and Backspace rejects)
 * with its source (entity model, string match), and the buttons Accept, Reject, Accept all, Reject all
 * (Shift+Backspace). A record without (remaining) suggestions says so and has no button to press.
 * Buttons never take the focus from the text (mousedown is cancelled), so the keys keep working
 * after a click.
 */
import { SUGGESTION_SOURCE_NAMES, type SuggestionSource, type SuggestionView } from '../../common/lspProtocol';

export interface SuggestionBarActions {
  accept(suggestion: SuggestionView): void;
  reject(suggestion: SuggestionView): void;
  acceptAll(): void;
  rejectAll(): void;
}

export const NO_SUGGESTIONS = 'No suggestions for this record';

/** What each source's label in the bar says when hovered. */
const SOURCE_TITLES: Record<SuggestionSource, string> = {
  model: 'Suggested by the active entity model (Pre-annotate)',
  stringMatch: 'Suggested by string matching: this text is labelled elsewhere in this dataset (finlabel.suggestions.stringMatching)',
};

function button(label: string, title: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'suggestion-action';
  b.textContent = label;
  b.title = title;
  b.addEventListener('mousedown', (e) => e.preventDefault());
  b.addEventListener('click', onClick);
  return b;
}

export class SuggestionBar {
  readonly element = document.createElement('section');
  private readonly summary = document.createElement('span');
  private readonly focusedLine = document.createElement('span');
  private readonly source = document.createElement('span');
  private readonly buttons: HTMLButtonElement[];
  private suggestions: readonly SuggestionView[] = [];
  private index = 0;

  constructor(actions: SuggestionBarActions) {
    this.element.className = 'suggestions';
    this.element.setAttribute('aria-label', 'Suggestions');
    this.summary.className = 'suggestion-summary';
    this.focusedLine.className = 'suggestion-focused';
    this.focusedLine.setAttribute('role', 'status');
    this.source.className = 'suggestion-source';
    this.buttons = [
      button('Accept', 'Accept the outlined suggestion as a label (Enter)', () => {
        const s = this.focused;
        if (s) actions.accept(s);
      }),
      button('Reject', 'Reject the outlined suggestion: it is hidden, the file is not changed (Backspace; Ctrl+Z brings it back)', () => {
        const s = this.focused;
        if (s) actions.reject(s);
      }),
      button('Accept all', 'Accept every suggestion of this record as labels, in one edit', () => {
        if (this.suggestions.length > 0) actions.acceptAll();
      }),
      button('Reject all', 'Reject every suggestion of this record, the file is not changed (Shift+Backspace; Ctrl+Z brings them all back)', () => {
        if (this.suggestions.length > 0) actions.rejectAll();
      }),
    ];
    this.element.append(this.summary, this.focusedLine, this.source, ...this.buttons);
    this.element.hidden = true;
  }

  /** The suggestion Enter and Backspace act on. */
  get focused(): SuggestionView | undefined {
    return this.suggestions[this.index];
  }

  get focusedIndex(): number | null {
    return this.focused ? this.index : null;
  }

  /** Every suggestion of the record (what Accept all and Reject all act on). */
  get all(): readonly SuggestionView[] {
    return this.suggestions;
  }

  /**
   * Shows the record's suggestions (undefined: the document was never pre-annotated, no bar); the focus
   * stays on the same place in the list (the next one after an accept).
   */
  show(suggestions: readonly SuggestionView[] | undefined, sameRecord: boolean, text: string): void {
    const key = this.focused?.key;
    this.suggestions = suggestions ?? [];
    const kept = sameRecord && key !== undefined ? this.suggestions.findIndex((s) => s.key === key) : -1;
    this.index = kept >= 0 ? kept : sameRecord ? Math.min(this.index, Math.max(0, this.suggestions.length - 1)) : 0;
    const empty = this.suggestions.length === 0;
    this.element.hidden = suggestions === undefined;
    this.element.classList.toggle('empty', empty);
    for (const b of this.buttons) {
      b.disabled = empty;
      b.hidden = empty;
    }
    this.summary.textContent = empty ? NO_SUGGESTIONS : `${this.suggestions.length} suggestion${this.suggestions.length === 1 ? '' : 's'}`;
    this.describe(text);
  }

  focus(index: number, text: string): void {
    if (index < 0 || index >= this.suggestions.length) return;
    this.index = index;
    this.describe(text);
  }

  private describe(text: string): void {
    const s = this.focused;
    const value = s ? Array.from(text).slice(s.start, s.end).join('') : '';
    this.focusedLine.textContent = s ? `${s.entity} “${value}”${s.confidence === null ? '' : ` ${(s.confidence * 100).toFixed(0)}%`}` : '';
    this.source.hidden = !s;
    this.source.textContent = s ? SUGGESTION_SOURCE_NAMES[s.source] : '';
    this.source.title = s ? `${SOURCE_TITLES[s.source]}${s.basis ? `: ${s.basis}` : ''}` : '';
  }
}
