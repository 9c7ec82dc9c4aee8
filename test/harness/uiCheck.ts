import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Page } from 'playwright-core';
import { countPixelsNear, decodePng, parseHexColour, type Rect } from './png';

// The page functions below run in the browser; the project compiles without the DOM library, so
// they are typed against the little of it they use.
interface PageRect {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
  readonly width: number;
  readonly height: number;
}
interface PageElement {
  readonly textContent: string | null;
  querySelector(selector: string): PageElement | null;
  getBoundingClientRect(): PageRect;
}
declare const document: { querySelector(selector: string): PageElement | null };

/** A decoration colour to look for, e.g. { name: '借款金额', color: '#e8a33d' }. */
export interface ExpectedColour {
  readonly name: string;
  readonly color: string;
}

export interface UiCheckOptions {
  /** A workbench page already navigated to a window with the extension and a workspace. */
  readonly page: Page;
  /** Opened through Quick Open. */
  readonly fileName: string;
  /** Text the editor must show once the file is open (from its first line). */
  readonly expectText: string;
  readonly colours: readonly ExpectedColour[];
  readonly screenshotPath: string;
  /** Each colour must cover at least this many pixels of the text area. */
  readonly minPixelsPerColour: number;
  /** Per channel, how far a pixel may be from the solid colour. */
  readonly tolerance?: number;
  readonly timeoutMs?: number;
  readonly log: (message: string) => void;
}

export interface UiCheckResult {
  readonly passed: boolean;
  readonly message: string;
  /** Pixels found per colour name in the last screenshot. */
  readonly counts: Readonly<Record<string, number>>;
}

/**
 * Opens a file the way a user does (Ctrl+P, name, Enter), waits for its text and for the gold
 * spans' decorations, screenshots the window and checks the decorations' colours are really drawn:
 * each span gets a solid bottom border in its type's colour (the tinted background is translucent,
 * so only the border keeps the exact colour). Pixels are counted in the editor's text area only,
 * so the overview ruler's marks (same colours) do not count.
 */
export async function runUiCheck(options: UiCheckOptions): Promise<UiCheckResult> {
  const { page, log } = options;
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  const left = (): number => Math.max(1000, deadline - Date.now());

  await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: left() });
  await page
    .locator('.monaco-workbench .part.sidebar .explorer-folders-view')
    .waitFor({ state: 'visible', timeout: left() })
    .catch(() => undefined);
  log(`ui: workbench loaded; opening ${options.fileName} with Quick Open`);
  await quickOpen(page, options.fileName, left);

  const editor = page.locator('.part.editor .editor-group-container.active .monaco-editor').first();
  await editor.waitFor({ state: 'visible', timeout: left() });
  await page.waitForFunction(
    (expected) => {
      const lines = document.querySelector('.part.editor .editor-group-container.active .monaco-editor .view-lines');
      return (lines?.textContent ?? '').replace(/\u00a0/g, ' ').includes(expected);
    },
    options.expectText,
    { timeout: left(), polling: 200 },
  );
  log(`ui: the editor shows ${options.fileName}; waiting for the decorations`);

  const targets = options.colours.map((c) => ({ ...c, rgb: parseHexColour(c.color) }));
  const tolerance = options.tolerance ?? 12;
  let counts: Record<string, number> = {};
  let screenshot: Buffer | undefined;
  for (;;) {
    // Let the editor settle (decorations arrive from the language server asynchronously).
    await page.waitForTimeout(500);
    const area = await textArea(page);
    screenshot = await page.screenshot({ type: 'png' });
    const image = decodePng(screenshot);
    counts = Object.fromEntries(targets.map((t) => [t.name, countPixelsNear(image, t.rgb, tolerance, area)]));
    const enough = targets.every((t) => counts[t.name] >= options.minPixelsPerColour);
    if (enough || Date.now() > deadline) break;
  }
  mkdirSync(dirname(options.screenshotPath), { recursive: true });
  writeFileSync(options.screenshotPath, screenshot);
  const summary = targets.map((t) => `${t.name} ${t.color}: ${counts[t.name]} px`).join(', ');
  const missing = targets.filter((t) => counts[t.name] < options.minPixelsPerColour);
  const passed = missing.length === 0;
  const message = passed
    ? `decorations drawn in every label colour (${summary}; need ${options.minPixelsPerColour} each); screenshot ${options.screenshotPath}`
    : `decorations missing for ${missing.map((t) => t.name).join(', ')} (${summary}; need ${options.minPixelsPerColour} each); screenshot ${options.screenshotPath}`;
  return { passed, message, counts };
}

/** Ctrl+P, type the name, wait for it in the list, Enter; retried when the widget does not come up. */
export async function quickOpen(page: Page, fileName: string, left: () => number): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input.input').first();
  const row = widget.locator('.monaco-list-row', { hasText: fileName }).first();
  for (let attempt = 1; ; attempt++) {
    try {
      await page.keyboard.press('Control+P');
      await input.waitFor({ state: 'visible', timeout: Math.min(10_000, left()) });
      await input.fill(fileName);
      await row.waitFor({ state: 'visible', timeout: Math.min(20_000, left()) });
      await page.keyboard.press('Enter');
      await widget.waitFor({ state: 'hidden', timeout: Math.min(10_000, left()) });
      return;
    } catch (error) {
      if (attempt >= 3) throw new Error(`Quick Open did not open ${fileName}: ${(error as Error).message}`, { cause: error });
      await page.keyboard.press('Escape');
      await page.waitForTimeout(1000);
    }
  }
}

/** The active editor's text area in page pixels: right of the line numbers, left of minimap, ruler and scrollbar. */
async function textArea(page: Page): Promise<Rect> {
  return page.evaluate(() => {
    const editor = document.querySelector('.part.editor .editor-group-container.active .monaco-editor');
    const guard = editor?.querySelector('.overflow-guard')?.getBoundingClientRect();
    if (!editor || !guard) throw new Error('no active editor');
    const margin = editor.querySelector('.margin')?.getBoundingClientRect();
    let right = guard.right;
    for (const selector of ['.minimap', '.decorationsOverviewRuler', '.scrollbar.vertical']) {
      const r = editor.querySelector(selector)?.getBoundingClientRect();
      if (r && r.width > 0 && r.left > guard.left) right = Math.min(right, r.left);
    }
    const left = margin && margin.width > 0 ? margin.right : guard.left;
    return { x: left, y: guard.top, width: Math.max(0, right - left), height: guard.height };
  });
}

/**
 * Runs a command from the Command Palette as a user does (Ctrl+P, `>` and its title, Enter) and returns
 * the rows of the quick pick it opens once one of them holds `expectRow` (VS Code's API cannot list an
 * open quick pick's items; the page can). Leaves the pick closed (Escape) so nothing is chosen.
 */
export async function quickPickRowsOfCommand(page: Page, commandTitle: string, expectRow: string, left: () => number): Promise<string[]> {
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input.input').first();
  await page.keyboard.press('Control+P');
  await input.waitFor({ state: 'visible', timeout: Math.min(10_000, left()) });
  await input.fill(`>${commandTitle}`);
  await widget
    .locator('.monaco-list-row', { hasText: commandTitle })
    .first()
    .waitFor({ state: 'visible', timeout: Math.min(20_000, left()) });
  await page.keyboard.press('Enter');
  let shown = true;
  await widget
    .locator('.monaco-list-row', { hasText: expectRow })
    .first()
    .waitFor({ state: 'visible', timeout: Math.min(30_000, left()) })
    .catch(() => (shown = false));
  const rows = (
    await widget
      .locator('.monaco-list-row')
      .allTextContents()
      .catch(() => [] as string[])
  ).map((r) => r.replace(/\s+/g, ' ').trim());
  await page.keyboard.press('Escape');
  if (!shown) throw new Error(`${commandTitle} showed no "${expectRow}" (its rows: ${rows.length > 0 ? rows.join(' | ') : 'none'})`);
  return rows;
}
