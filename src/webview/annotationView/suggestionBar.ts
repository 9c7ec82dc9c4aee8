/**
 * The bar under the record's text while it has pre-annotation suggestions: the focused suggestion
 * (what Enter accepts and Backspace rejects) and the buttons Accept, Reject, Accept all. Buttons never
 * take the focus from the text (mousedown is cancelled), so the keys keep working after a click.
 */
import type { SuggestionView } from '../../common/lspProtocol';

export interface SuggestionBarActions {
  accept(suggestion: SuggestionView): void;
  reject(suggestion: SuggestionView): void;
  acceptAll(): void;
}

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
  private suggestions: readonly SuggestionView[] = [];
  private index = 0;

  constructor(actions: SuggestionBarActions) {
    this.element.className = 'suggestions';
    this.element.setAttribute('aria-label', 'Suggestions');
    this.summary.className = 'suggestion-summary';
    this.focusedLine.className = 'suggestion-focused';
    this.focusedLine.setAttribute('role', 'status');
    this.element.append(
      this.summary,
      this.focusedLine,
      button('Accept', 'Accept the outlined suggestion as a label (Enter)', () => {
        const s = this.focused;
        if (s) actions.accept(s);
      }),
      button('Reject', 'Reject the outlined suggestion: it is hidden, the file is not changed (Backspace)', () => {
        const s = this.focused;
        if (s) actions.reject(s);
      }),
      button('Accept all', 'Accept every suggestion of this record as labels, in one edit', () => actions.acceptAll()),
    );
    this.element.hidden = true;
  }

  /** The suggestion Enter and Backspace act on. */
  get focused(): SuggestionView | undefined {
    return this.suggestions[this.index];
  }

  get focusedIndex(): number | null {
    return this.focused ? this.index : null;
  }

  /** Shows the record's suggestions; the focus stays on the same place in the list (the next one after an accept). */
  show(suggestions: readonly SuggestionView[], sameRecord: boolean, text: string): void {
    const key = this.focused?.key;
    this.suggestions = suggestions;
    const kept = sameRecord && key !== undefined ? suggestions.findIndex((s) => s.key === key) : -1;
    this.index = kept >= 0 ? kept : sameRecord ? Math.min(this.index, Math.max(0, suggestions.length - 1)) : 0;
    this.element.hidden = suggestions.length === 0;
    this.summary.textContent = `${suggestions.length} suggestion${suggestions.length === 1 ? '' : 's'}`;
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
  }
}
