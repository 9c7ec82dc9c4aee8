/**
 * The test entry's side of the webview probe (webviewProbe/page.ts): puts the probe into a webview
 * panel's page (inline, under the page's own nonce, before the page's script: the page reloads once),
 * asks it to read the page back or act on it, and keeps what the page reported on its own: the
 * Content-Security-Policy's violations and how each label edit went. Test code: never in the VSIX.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { PROBE, type ProbeCall, type ProbeReply, type ProbeRequest } from './webviewProbeProtocol';

/** The probe's page script, next to this module in out/. */
const PAGE_SCRIPT = join(__dirname, 'webviewProbe', 'page.js');
const MARK = 'data-finlabel-probe';
/** How long a request waits for the page (none answers while it is hidden, loading or gone). */
const ANSWER_TIMEOUT_MS = 3_000;
/** How long the first request waits for the page to load with the probe. */
const LOAD_TIMEOUT_MS = 10_000;

/** How a label edit the page asked for went, as the page was told. */
export interface EditResult {
  ok: boolean;
  message: string;
}

export class ProbedPage {
  /** "directive blockedURI" for each violation the page reported since the probe was put in. */
  readonly cspViolations: string[] = [];
  /** Every label edit's result the page was told since the probe was put in, in order. */
  readonly edits: EditResult[] = [];
  private seq = 0;
  private readonly answers = new Map<number, (result: unknown) => void>();
  private loaded: Promise<void>;
  private onLoaded: () => void = () => undefined;

  constructor(readonly panel: vscode.WebviewPanel) {
    this.loaded = new Promise((resolve) => (this.onLoaded = resolve));
    const listener = panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m));
    panel.onDidDispose(() => listener.dispose());
    const html = panel.webview.html;
    const nonce = /<meta property="csp-nonce" content="([^"]+)">/.exec(html)?.[1];
    if (!nonce || html.includes(MARK)) throw new Error('the page has no nonce to run the probe under, or has the probe already');
    const script = readFileSync(PAGE_SCRIPT, 'utf8').replace(/<\/script/gi, '<\\/script');
    const at = html.indexOf('<script');
    panel.webview.html = `${html.slice(0, at)}<script ${MARK} nonce="${nonce}">${script}</script>\n${html.slice(at)}`;
  }

  /** Asks the probe; null when the page is hidden or does not answer in time. */
  async request<T>(request: ProbeRequest): Promise<T | null> {
    if (!this.panel.visible) return null;
    const loaded = await Promise.race([this.loaded.then(() => true), delay(LOAD_TIMEOUT_MS, false)]);
    if (!loaded) return null;
    const id = ++this.seq;
    const answer = new Promise<unknown>((resolve) => this.answers.set(id, resolve));
    void this.panel.webview.postMessage({ type: PROBE, id, request } satisfies ProbeCall).then(undefined, () => undefined);
    const result = await Promise.race([answer, delay(ANSWER_TIMEOUT_MS, null)]);
    this.answers.delete(id);
    return result as T | null;
  }

  private receive(message: unknown): void {
    if (typeof message !== 'object' || message === null || !('type' in message)) return;
    const m = message as ProbeReply | { type: 'cspViolation'; directive: string; blockedURI: string };
    if (m.type === 'cspViolation') this.cspViolations.push(`${m.directive} ${m.blockedURI}`);
    if (m.type !== PROBE) return;
    if ('id' in m) this.answers.get(m.id)?.(m.result);
    else if (m.event === 'loaded') this.onLoaded();
    else this.edits.push({ ok: m.ok, message: m.message });
  }
}

function delay<T>(ms: number, value: T): Promise<T> {
  return new Promise((resolve) => setTimeout(() => resolve(value), ms));
}

const probes = new WeakMap<vscode.WebviewPanel, ProbedPage>();

/** The probe in the panel's page, put in at the first call (the page reloads then). */
export function probeOf(panel: vscode.WebviewPanel): ProbedPage {
  let probe = probes.get(panel);
  if (!probe) {
    probe = new ProbedPage(panel);
    probes.set(panel, probe);
  }
  return probe;
}

type CreateWebviewPanel = typeof vscode.window.createWebviewPanel;

/**
 * The last panel the extension opened of each of `viewTypes` (while it is open), seen through
 * vscode.window.createWebviewPanel. The probe goes in as soon as the extension has set its page.
 */
export function watchPanels(viewTypes: readonly string[]): { last(viewType: string): vscode.WebviewPanel | undefined } & vscode.Disposable {
  const window = vscode.window as { createWebviewPanel: CreateWebviewPanel };
  const create = window.createWebviewPanel;
  const last = new Map<string, vscode.WebviewPanel>();
  window.createWebviewPanel = ((...args: Parameters<CreateWebviewPanel>) => {
    const panel = create.apply(vscode.window, args);
    const [viewType] = args;
    if (viewTypes.includes(viewType)) {
      last.set(viewType, panel);
      panel.onDidDispose(() => {
        if (last.get(viewType) === panel) last.delete(viewType);
      });
      setTimeout(() => {
        try {
          probeOf(panel);
        } catch {
          // Closed before its page was set: nothing to probe.
        }
      }, 0);
    }
    return panel;
  }) as CreateWebviewPanel;
  return {
    last: (viewType) => last.get(viewType),
    dispose: () => (window.createWebviewPanel = create),
  };
}
