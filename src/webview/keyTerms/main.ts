// The Key Terms page: one row per record (or the contract), each term a button that reveals its span.
import type { KeyTermsRow } from '../../common/keyTerms';
import { connectReportPage, toolbarButton } from '../reportPage';
import { drawKeyTerms, PlaceNumbers } from './keyTermsTable';
import type { HostToWebview, WebviewToHost } from './messages';

const post = connectReportPage<WebviewToHost>();

const toolbar = document.createElement('div');
toolbar.className = 'toolbar';
const title = document.createElement('span');
title.className = 'title';
const refresh = toolbarButton('refresh', 'Refresh', () => post({ type: 'refresh' }));
const note = document.createElement('p');
note.className = 'note';
toolbar.append(title, refresh);
const content = document.createElement('main');
content.textContent = 'Reading the key terms…';
document.body.append(toolbar, note, content);

const rowName = (row: KeyTermsRow): string =>
  [row.line === null ? '' : `line ${row.line}`, row.id ?? ''].filter(Boolean).join(' · ') || decodeURIComponent(row.file.split('/').pop() ?? row.file);

let numbers = new PlaceNumbers();
content.addEventListener('click', (event) => {
  const button = (event.target as Element).closest<HTMLButtonElement>('button.place');
  const source = button ? numbers.places[Number(button.dataset.place)] : undefined;
  if (source) post({ type: 'reveal', source });
});

window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
  const message = event.data;
  if (message.type === 'terms') {
    title.textContent = message.title;
    const predicted = message.view.rows.some((r) => [r.amount, r.term, ...r.guarantee.sources].some((t) => t?.source.origin === 'predicted'));
    const { model, rows, records } = message.view;
    const shown = rows.length < records ? ` The first ${rows.length} of ${records} records are shown; \`finlabel extract\` gives every one.` : '';
    note.textContent = `${model ? `Terms without gold labels come from the entity model ${model}${predicted ? '' : ' (none needed here)'}, where it has run.` : 'Gold labels only: no entity model has run on this document.'}${shown}`;
    numbers = new PlaceNumbers();
    content.replaceChildren(message.view.rows.length === 0 ? 'No records.' : drawKeyTerms(message.view.rows, rowName, numbers));
  }
});

post({ type: 'ready' });
