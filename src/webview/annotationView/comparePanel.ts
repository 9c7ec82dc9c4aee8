/**
 * Adjudication: two annotators' labels of the record side by side (one text pane each), then the
 * groups where they differ, each with Keep A / Keep B / Edit, and one button that accepts every
 * agreement. Each choice is one edit of the document (the page asks the extension for it).
 */
import type { RecordView } from '../../common/lspProtocol';
import { compareAnnotators, settle, settleAgreements, type Comparison, type LabelGroup } from './adjudication';
import { drawRecordText } from './recordText';

type Span = RecordView['spans'][number];

export interface CompareActions {
  /** Keep these labels (as agreed) and delete those; `what` says it in words. */
  settle(keep: number[], remove: number[], what: string): void;
  /** Leave the comparison and put the keyboard on this label in the record's text. */
  edit(span: Span): void;
}

function describeSide(spans: readonly Span[], text: readonly string[]): string {
  if (spans.length === 0) return 'no label';
  return spans.map((s) => `${s.entity} “${text.slice(s.start, s.end).join('')}” [${s.start}, ${s.end})`).join(' + ');
}

export class ComparePanel {
  readonly element: HTMLElement;
  private readonly heading: HTMLElement;
  private readonly panes: [HTMLElement, HTMLElement];
  private readonly paneTitles: [HTMLElement, HTMLElement];
  private readonly list: HTMLOListElement;
  private readonly agreementsLine: HTMLElement;
  private comparison: Comparison<Span> | null = null;

  constructor(private readonly actions: CompareActions) {
    this.element = document.createElement('section');
    this.element.className = 'compare';
    this.element.hidden = true;
    this.element.setAttribute('aria-label', 'Compare annotators');
    this.heading = document.createElement('h2');
    this.heading.className = 'compare-heading';
    const grid = document.createElement('div');
    grid.className = 'compare-panes';
    const pane = (): [HTMLElement, HTMLElement] => {
      const box = document.createElement('div');
      box.className = 'compare-pane';
      const title = document.createElement('h3');
      title.className = 'compare-pane-title';
      const text = document.createElement('div');
      text.className = 'record-text pane-text';
      text.lang = 'zh-CN';
      box.append(title, text);
      grid.append(box);
      return [title, text];
    };
    const [titleA, textA] = pane();
    const [titleB, textB] = pane();
    this.paneTitles = [titleA, titleB];
    this.panes = [textA, textB];
    const differencesHeading = document.createElement('h3');
    differencesHeading.className = 'compare-subheading';
    differencesHeading.textContent = 'Differences';
    this.list = document.createElement('ol');
    this.list.className = 'differences';
    this.agreementsLine = document.createElement('p');
    this.agreementsLine.className = 'agreements';
    this.element.append(this.heading, grid, differencesHeading, this.list, this.agreementsLine);
  }

  /** Draws the comparison of annotators `a` and `b` on the record. */
  show(record: RecordView, a: string, b: string): void {
    if (record.text === null) {
      this.hide();
      return;
    }
    const text = Array.from(record.text);
    const comparison = compareAnnotators(record.spans, a, b);
    this.comparison = comparison;
    const more = record.annotators.filter((x) => x !== a && x !== b).length;
    const others = more > 0 ? ` (${more} more ${more === 1 ? 'annotator is' : 'annotators are'} not compared)` : '';
    this.heading.textContent = `Comparing A: ${a} and B: ${b}${others}`;
    [a, b].forEach((who, i) => {
      // Each pane: that annotator's labels, and the agreed ones (no annotator) both see.
      // The record's overlap marks count the other annotator's labels too: here only the pane's own count.
      const own = record.spans.filter((s) => s.annotator === who || s.annotator === undefined);
      const spans = own.map((s) => ({ ...s, overlaps: own.some((o) => o !== s && o.start < s.end && s.start < o.end) }));
      this.paneTitles[i].textContent = `${i === 0 ? 'A' : 'B'} · ${who} (${spans.filter((s) => s.annotator === who).length} labels)`;
      drawRecordText(this.panes[i], record.text ?? '', spans);
    });
    this.list.replaceChildren(...comparison.differences.map((g, i) => this.differenceItem(g, i, text)));
    if (comparison.differences.length === 0) {
      const none = document.createElement('li');
      none.className = 'no-differences';
      none.textContent = `${a} and ${b} agree on every label here.`;
      this.list.append(none);
    }
    this.drawAgreements(comparison);
    this.element.hidden = false;
  }

  hide(): void {
    this.element.hidden = true;
    this.comparison = null;
  }

  /** Settles difference `index` (as its buttons do); false when there is none. */
  choose(index: number, choice: 'a' | 'b' | 'edit'): boolean {
    const group = this.comparison?.differences[index];
    if (!group || !this.comparison) return false;
    if (choice === 'edit') {
      const span = group.a[0] ?? group.b[0];
      if (span) this.actions.edit(span);
      return true;
    }
    const { keep, remove } = settle(group, choice);
    const who = choice === 'a' ? this.comparison.a : this.comparison.b;
    this.actions.settle(keep, remove, `Keeping ${who}'s version of [${group.start}, ${group.end})…`);
    return true;
  }

  /** Accepts every agreement (as its button does); false when there is none. */
  acceptAgreements(): boolean {
    if (!this.comparison || this.comparison.agreements.length === 0) return false;
    const { keep, remove } = settleAgreements(this.comparison.agreements);
    this.actions.settle(keep, remove, `Accepting ${this.comparison.agreements.length} agreed labels…`);
    return true;
  }

  private differenceItem(group: LabelGroup<Span>, index: number, text: readonly string[]): HTMLLIElement {
    const item = document.createElement('li');
    item.className = 'difference';
    const what = document.createElement('span');
    what.className = 'difference-text';
    what.textContent = `A: ${describeSide(group.a, text)} · B: ${describeSide(group.b, text)}`;
    const button = (label: string, title: string, choice: 'a' | 'b' | 'edit'): HTMLButtonElement => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = `settle settle-${choice}`;
      b.textContent = label;
      b.title = title;
      b.addEventListener('click', () => this.choose(index, choice));
      return b;
    };
    const a = this.comparison?.a ?? 'A';
    const b = this.comparison?.b ?? 'B';
    item.append(
      what,
      button('Keep A', `Keep ${a}'s labels here (agreed from now on) and delete ${b}'s`, 'a'),
      button('Keep B', `Keep ${b}'s labels here (agreed from now on) and delete ${a}'s`, 'b'),
      button('Edit', 'Close the comparison and edit these labels in the text', 'edit'),
    );
    return item;
  }

  private drawAgreements(comparison: Comparison<Span>): void {
    const n = comparison.agreements.length;
    this.agreementsLine.replaceChildren();
    if (n === 0) {
      this.agreementsLine.textContent = 'No agreements yet.';
      return;
    }
    const label = document.createElement('span');
    label.textContent = `${n} ${n === 1 ? 'label' : 'labels'} both made the same. `;
    const accept = document.createElement('button');
    accept.type = 'button';
    accept.className = 'settle settle-agreements';
    accept.textContent = 'Accept agreements';
    accept.title = `Keep one copy of each (agreed from now on) and delete ${comparison.b}'s twin`;
    accept.addEventListener('click', () => this.acceptAgreements());
    this.agreementsLine.append(label, accept);
  }
}
