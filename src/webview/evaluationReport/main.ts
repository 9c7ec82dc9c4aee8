// The evaluation report page: the report's HTML (tables and inline SVG charts, built by the shared
// renderer), a "Save as HTML" button, and links on each miss and false alarm that open the record.
import { provideVSCodeDesignSystem, vsCodeButton } from '@vscode/webview-ui-toolkit';
import { reportBodyHtml } from '../../common/evaluationReportHtml';
import type { HostToWebview, ReportRendered, WebviewToHost } from './messages';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

provideVSCodeDesignSystem().register(vsCodeButton());
const vscode = acquireVsCodeApi();
const post = (message: WebviewToHost): void => vscode.postMessage(message);

const toolbar = document.createElement('div');
toolbar.className = 'toolbar';
const saveButton = document.createElement('vscode-button');
saveButton.id = 'save-html';
saveButton.textContent = 'Save as HTML…';
saveButton.addEventListener('click', () => post({ type: 'saveHtml' }));
toolbar.append(saveButton);
const content = document.createElement('main');
content.textContent = 'Evaluating…';
document.body.append(toolbar, content);

function readBack(): ReportRendered {
  const figures: Record<string, string> = {};
  for (const e of content.querySelectorAll<HTMLElement>('[data-figure]')) figures[e.dataset.figure!] = e.textContent ?? '';
  return {
    figures,
    errorLinks: content.querySelectorAll('a.open-span').length,
    charts: content.querySelectorAll('svg.chart').length,
    notATest: [...content.querySelectorAll('p.not-a-test')].map((p) => p.textContent ?? ''),
  };
}

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
    post({ type: 'rendered', rendered: readBack() });
  } else if (message.type === 'clickError') {
    content.querySelectorAll<HTMLAnchorElement>('a.open-span')[message.index]?.click();
  }
});

document.addEventListener('securitypolicyviolation', (e) => {
  post({ type: 'cspViolation', directive: e.effectiveDirective, blockedURI: e.blockedURI });
});

post({ type: 'ready' });
