/**
 * Draws the key terms table. Every text from the documents reaches the page through text nodes
 * (never innerHTML); each term is a button that reveals its span.
 */
import type { KeyTerm, KeyTermsRow, ReviewerCheck, TermSource } from '../../common/keyTerms';
import { normalizedText } from '../../common/normalizedValue';

export const COLUMNS = ['Document', 'Loan amount', 'Other amounts', 'Term', 'Guarantee', 'Checks'] as const;

/** Numbers the places the page shows; the host reveals them by number. */
export class PlaceNumbers {
  readonly places: TermSource[] = [];

  add(place: TermSource): number {
    this.places.push(place);
    return this.places.length - 1;
  }
}

function origin(s: TermSource): string {
  if (s.origin === 'predicted') return `predicted${s.confidence === null ? '' : ` ${(s.confidence * 100).toFixed(0)}%`}`;
  return s.origin === 'gold' ? 'gold' : 'in the text';
}

function placeButton(label: string, source: TermSource, numbers: PlaceNumbers): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = `place ${source.origin}`;
  button.dataset.place = String(numbers.add(source));
  button.title = `${source.line === null ? '' : `line ${source.line}, `}[${source.start}, ${source.end}) “${source.text}” · ${origin(source)}`;
  button.textContent = label;
  return button;
}

function termButton(term: KeyTerm, numbers: PlaceNumbers): HTMLElement {
  const item = document.createElement('div');
  item.className = 'term';
  const tag = document.createElement('span');
  tag.className = 'origin';
  tag.textContent = origin(term.source);
  item.append(placeButton(normalizedText(term.value), term.source, numbers), ' ', tag);
  return item;
}

function checkItem(check: ReviewerCheck, numbers: PlaceNumbers): HTMLElement {
  const item = document.createElement('div');
  item.className = `check ${check.code}`;
  item.append(`⚠ ${check.message} `);
  check.places.forEach((p, i) => item.append(placeButton(`place ${i + 1}`, p, numbers), ' '));
  return item;
}

function cell(tr: HTMLTableRowElement, column: (typeof COLUMNS)[number], children: (HTMLElement | string)[]): void {
  const td = document.createElement('td');
  td.dataset.column = column;
  if (children.length === 0) td.textContent = '—';
  else td.append(...children);
  tr.append(td);
}

/** The table of ROWS; NAME shows a row's document (its file name, line and id). */
export function drawKeyTerms(rows: readonly KeyTermsRow[], name: (row: KeyTermsRow) => string, numbers: PlaceNumbers): HTMLTableElement {
  const table = document.createElement('table');
  const head = table.createTHead().insertRow();
  for (const c of COLUMNS) {
    const th = document.createElement('th');
    th.textContent = c;
    head.append(th);
  }
  const body = table.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    cell(tr, 'Document', [name(row)]);
    cell(tr, 'Loan amount', row.amount ? [termButton(row.amount, numbers)] : []);
    cell(
      tr,
      'Other amounts',
      row.otherAmounts.map((a) => termButton(a, numbers)),
    );
    cell(tr, 'Term', row.term ? [termButton(row.term, numbers), ...row.otherTerms.map((t) => termButton(t, numbers))] : []);
    const modes = document.createElement('strong');
    modes.textContent = row.guarantee.modes.join(' + ');
    cell(tr, 'Guarantee', row.guarantee.sources.length === 0 ? [] : [modes, ...row.guarantee.sources.map((g) => termButton(g, numbers))]);
    cell(
      tr,
      'Checks',
      row.checks.map((c) => checkItem(c, numbers)),
    );
  }
  return table;
}
