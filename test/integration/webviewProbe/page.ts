/**
 * The probe the test entry (test/integration/webviewProbes.ts) puts into the extension's webview pages
 * when they run under the integration tests: it reads back what a page shows from its DOM and acts on
 * the page as the mouse and keyboard would. It runs before the page's own script, in the same page,
 * and shares its one connection to the extension. Built into out/, never into dist/ or the VSIX.
 */
import type { HostToWebview } from '../../../src/webview/annotationView/messages';
import { PROBE, type KeyTermsRendered, type ProbeCall, type ProbeReply, type ProbeRequest, type ReportRendered } from '../webviewProbeProtocol';
import * as annotationView from './annotationView';

interface VsCodeApi {
  postMessage(message: unknown): void;
}
const scope = globalThis as unknown as { acquireVsCodeApi(): VsCodeApi };
const acquire = scope.acquireVsCodeApi;
let api: VsCodeApi | undefined;
// A page may take the API once: the page's script and the probe share it.
scope.acquireVsCodeApi = () => (api ??= acquire());
const host = scope.acquireVsCodeApi();
const reply = (message: ProbeReply): void => host.postMessage(message);

/** Report pages (evaluation, key terms) drawn so far. */
let reportsDrawn = 0;

function readEvaluationReport(): ReportRendered | null {
  const content = document.querySelector('main');
  if (reportsDrawn === 0 || !content) return null;
  const figures: Record<string, string> = {};
  for (const e of content.querySelectorAll<HTMLElement>('[data-figure]')) figures[e.dataset.figure!] = e.textContent ?? '';
  return {
    figures,
    errorLinks: content.querySelectorAll('a.open-span').length,
    charts: content.querySelectorAll('svg.chart').length,
    notATest: [...content.querySelectorAll('p.not-a-test')].map((p) => p.textContent ?? ''),
  };
}

function readKeyTerms(): KeyTermsRendered | null {
  const content = document.querySelector('main');
  if (reportsDrawn === 0 || !content) return null;
  const rows = [...content.querySelectorAll('tbody tr')].map((tr) =>
    Object.fromEntries([...tr.querySelectorAll<HTMLElement>('td')].map((td) => [td.dataset.column!, td.textContent ?? ''])),
  );
  return { rows, places: [...content.querySelectorAll<HTMLElement>('button.place')].map((b) => b.title) };
}

function run(request: ProbeRequest): unknown {
  switch (request.action) {
    case 'readAnnotationView':
      return annotationView.readAnnotationView();
    case 'select':
      return annotationView.select(request.start, request.end);
    case 'key':
      return annotationView.pressKey(request.key);
    case 'focusSpan':
      return annotationView.focusSpan(request.labelIndex);
    case 'filter':
      return annotationView.chooseFilter(request.filter);
    case 'compare':
      return annotationView.showComparison(request.on);
    case 'settle':
      return annotationView.click(`ol.differences > li.difference:nth-child(${request.difference + 1}) button.settle-${request.choice}`);
    case 'acceptAgreements':
      return annotationView.click('.agreements button.settle-agreements');
    case 'readEvaluationReport':
      return readEvaluationReport();
    case 'readKeyTerms':
      return readKeyTerms();
    case 'click':
      return annotationView.click(request.selector, request.index);
  }
}

window.addEventListener('message', (event: MessageEvent<HostToWebview | ProbeCall | { type: 'report' | 'terms' }>) => {
  const message = event.data;
  if (typeof message !== 'object' || message === null) return;
  if (message.type === PROBE) {
    void Promise.resolve(run(message.request)).then((result) => reply({ type: PROBE, id: message.id, result: result ?? null }));
    return;
  }
  if (message.type === 'report' || message.type === 'terms') {
    reportsDrawn++;
    return;
  }
  const told = message as HostToWebview;
  annotationView.observe(told);
  if (told.type === 'editResult') reply({ type: PROBE, event: 'editResult', ok: told.ok, message: told.message });
});

reply({ type: PROBE, event: 'loaded' });
