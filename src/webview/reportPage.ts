/**
 * What the report-like pages (evaluation report, key terms) share: the host connection, a toolbar
 * button, and reporting what the Content-Security-Policy blocks.
 */
import { provideVSCodeDesignSystem, vsCodeButton } from '@vscode/webview-ui-toolkit';

interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

type CspViolation = { type: 'cspViolation'; directive: string; blockedURI: string };

/** Connects the page to the extension host (once per page) and reports each CSP violation to it; returns the sender. */
export function connectReportPage<Out extends { type: string }>(): (message: Out | CspViolation) => void {
  provideVSCodeDesignSystem().register(vsCodeButton());
  const vscode = acquireVsCodeApi();
  const post = (message: Out | CspViolation): void => vscode.postMessage(message);
  document.addEventListener('securitypolicyviolation', (e) => post({ type: 'cspViolation', directive: e.effectiveDirective, blockedURI: e.blockedURI }));
  return post;
}

/** A toolkit button for the page's toolbar. */
export function toolbarButton(id: string, label: string, onClick: () => void): HTMLElement {
  const button = document.createElement('vscode-button');
  button.id = id;
  button.textContent = label;
  button.addEventListener('click', onClick);
  return button;
}
