// The evaluation report page: the report's HTML (tables and inline SVG charts, built by the shared
// renderer), a "Save as HTML" button, and links on each miss and false alarm that open the record.
import { reportBodyHtml } from '../../common/evaluationReportHtml';
import { connectReportPage, toolbarButton } from '../reportPage';
import type { HostToWebview, WebviewToHost } from './messages';

const post = connectReportPage<WebviewToHost>();

const toolbar = document.createElement('div');
toolbar.className = 'toolbar';
const saveButton = toolbarButton('save-html', 'Save as HTML…', () => post({ type: 'saveHtml' }));
toolbar.append(saveButton);
const content = document.createElement('main');
content.textContent = 'Evaluating…';
document.body.append(toolbar, content);

content.addEventListener('click', (event) => {
  const link = (event.target as Element).closest<HTMLAnchorElement>('a.open-span');
  if (!link) return;
  event.preventDefault();
  const d = link.dataset;
  const columns = d.colStart !== undefined && d.colEnd !== undefined ? { start: Number(d.colStart), end: Number(d.colEnd) } : null;
  post({ type: 'openSpan', line: Number(d.line), start: Number(d.start), end: Number(d.end), columns });
});

window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
  const message = event.data;
  if (message.type === 'report') {
    // Markup from the shared renderer: every text of the report in it is escaped there.
    content.innerHTML = reportBodyHtml(message.report, { interactive: true });
  }
});

post({ type: 'ready' });
