/**
 * The small menu beside a focused label: what it is, buttons to change its type (with their keys)
 * and to delete it. The keyboard does the same from the text (digits, Delete), so the menu's
 * buttons stay out of the Tab order.
 */
import type { LabelTypeView, RecordView } from '../../common/lspProtocol';
import { typeButton } from './typeButtons';

type Span = RecordView['spans'][number];

export interface SpanMenuActions {
  retype(span: Span, type: LabelTypeView): void;
  remove(span: Span): void;
}

export class SpanMenu {
  readonly element: HTMLElement;
  private readonly title: HTMLElement;
  private readonly types: HTMLElement;
  private readonly hint: HTMLElement;

  constructor(private readonly actions: SpanMenuActions) {
    this.element = document.createElement('div');
    this.element.className = 'span-menu';
    this.element.setAttribute('role', 'group');
    this.element.setAttribute('aria-label', 'Focused label');
    this.element.hidden = true;
    this.title = document.createElement('div');
    this.title.className = 'span-menu-title';
    this.types = document.createElement('div');
    this.types.className = 'span-menu-types';
    this.hint = document.createElement('div');
    this.hint.className = 'span-menu-hint';
    this.element.append(this.title, this.types, this.hint);
  }

  /**
   * Shows the menu for `span` under `anchor` (its first highlight), positioned inside `frame`.
   * `others` is how many other labels overlap it.
   */
  show(span: Span, value: string, types: readonly LabelTypeView[], anchor: HTMLElement, frame: HTMLElement, others: number): void {
    const tag = span.tag !== span.entity ? ` (${span.tag})` : '';
    this.title.textContent = `${span.entity}${tag} “${value}” [${span.start}, ${span.end})${span.normalized ? ` = ${span.normalized}` : ''}`;
    const buttons = types.map((t) => {
      const b = typeButton(t, 'menu-type', (type) => this.actions.retype(span, type));
      b.tabIndex = -1;
      if (t.name === span.entity) {
        b.classList.add('current');
        b.setAttribute('aria-pressed', 'true');
      }
      return b;
    });
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'menu-delete';
    remove.tabIndex = -1;
    remove.textContent = 'Delete';
    remove.title = 'Delete this label (Delete or Backspace)';
    remove.addEventListener('mousedown', (e) => e.preventDefault());
    remove.addEventListener('click', () => this.actions.remove(span));
    this.types.replaceChildren(...buttons, remove);
    this.hint.textContent =
      (others > 0 ? `${others + 1} labels overlap here: click again or Tab for the next. ` : '') + 'Digit: change type · Delete: remove · Esc: close';
    this.element.hidden = false;
    const a = anchor.getBoundingClientRect();
    const f = frame.getBoundingClientRect();
    this.element.style.setProperty('--menu-left', `${Math.max(0, a.left - f.left)}px`);
    this.element.style.setProperty('--menu-top', `${a.bottom - f.top + 4}px`);
  }

  hide(): void {
    this.element.hidden = true;
  }
}
