import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** A fresh nonce per page load: 128 random bits, base64 (valid in a CSP source expression). */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * The page's Content-Security-Policy. Nothing is allowed by default; the one script runs by nonce;
 * styles come from the extension's own webview resources (the linked annotationView.css) or carry
 * the nonce. No 'unsafe-inline', for scripts or styles:
 * - @vscode/webview-ui-toolkit (FAST) styles its elements with constructable stylesheets
 *   (adoptedStyleSheets) and writes its design tokens through the CSSOM; CSP governs neither.
 * - FAST's one <style> element is a feature probe for :focus-visible; it takes the nonce from
 *   <meta property="csp-nonce">, which the page carries. Without it the probe is blocked (a CSP
 *   violation on every load) and focus rings fall back to :focus.
 * - The view colours spans with CSS custom properties set through the CSSOM
 *   (element.style.setProperty), never with style attributes.
 * FAST would fall back to <style> elements for everything only in browsers without
 * adoptedStyleSheets, which VS Code's webviews (Chromium) are not.
 */
export function contentSecurityPolicy(webview: vscode.Webview, nonce: string): string {
  return [`default-src 'none'`, `script-src 'nonce-${nonce}'`, `style-src ${webview.cspSource} 'nonce-${nonce}'`, `font-src ${webview.cspSource}`].join('; ');
}

/** What a webview page loads: its script from dist/webview, and a stylesheet from there or CSS carried with the nonce. */
export interface WebviewPage {
  script: string;
  title: string;
  stylesheet?: string;
  css?: string;
}

/** A webview page that loads nothing but its own script and styles (the strict Content-Security-Policy above). */
export function webviewPageHtml(webview: vscode.Webview, webviewRoot: vscode.Uri, page: WebviewPage): string {
  const nonce = createNonce();
  const resource = (name: string): string => escapeAttribute(webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot, name)).toString());
  const style = page.stylesheet ? `<link rel="stylesheet" href="${resource(page.stylesheet)}">` : `<style nonce="${nonce}">${page.css ?? ''}</style>`;
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(contentSecurityPolicy(webview, nonce))}">
<meta property="csp-nonce" content="${nonce}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${style}
<title>${page.title}</title>
</head>
<body>
<script nonce="${nonce}" src="${resource(page.script)}"></script>
</body>
</html>`;
}

/** The annotation view's page: a script and a stylesheet from dist/webview, nothing else. */
export function annotationViewHtml(webview: vscode.Webview, webviewRoot: vscode.Uri): string {
  return webviewPageHtml(webview, webviewRoot, { script: 'annotationView.js', stylesheet: 'annotationView.css', title: 'FinLabel Annotation View' });
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
