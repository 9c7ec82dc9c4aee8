// The annotation view, end to end in Chromium: open a dataset, open the view from the command
// palette, drag-select characters of the first record with the mouse, press "1", save with Ctrl+S,
// and check the saved file has exactly that label with exact code-point offsets (the text holds
// characters outside the BMP and a \r\n before the selection). Then click the new label and check
// its menu opens (the screenshot: test-results/annotation-view.png), and that Ctrl+Z / Ctrl+Shift+Z
// typed in the view undo and redo the label. Last, pre-annotation's suggestion bar: a record without
// suggestions has no button to press; Reject all clears a record's suggestions, Ctrl+Z brings them
// all back, and the next Ctrl+Z undoes the label edit made before the rejection.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import type { CodeServer } from './codeServer';
import { toolPaths } from './paths';
import { formatConsoleMessage, print } from './session';
import { quickOpen } from './uiCheck';
import { developmentPayload, launchWorkbench, workbenchUrl } from './workbench';
import { interpreterSettings, prepareWorkspace } from './workspace';

// The page functions below run in the webview; the project compiles without the DOM library, so
// they are typed against the little of it they use.
interface PageRect {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
  readonly width: number;
  readonly height: number;
}
interface PageNode {
  readonly nodeType: number;
  readonly data: string;
}
interface PageElement {
  readonly textContent: string | null;
  readonly hidden: boolean;
  readonly disabled?: boolean;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
  getBoundingClientRect(): PageRect;
}
interface PageRange {
  setStart(node: PageNode, offset: number): void;
  setEnd(node: PageNode, offset: number): void;
  getClientRects(): ArrayLike<PageRect>;
}
interface PageWalker {
  nextNode(): PageNode | null;
}
declare const document: {
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
  createRange(): PageRange;
  createTreeWalker(root: PageElement, what: number): PageWalker;
  getSelection(): { toString(): string } | null;
};

const FILE = 'annotation-ui.jsonl';
/** Non-BMP characters (😀, 𠀋) and a \r\n before the characters the check selects. */
const TEXT = '甲方：😀𠀋𠀋科技有限公司\r\n借款金额人民币伍佰万元整，以连带责任保证方式担保，还款期限三年。';
const SELECT = '人民币伍佰万元整';
const EXISTING = { entity: '担保方式', value: '连带责任保证' };
const RECORDS = [
  { id: 'ui-1', text: TEXT, labels: [{ ...EXISTING, ...codePointSpan(TEXT, EXISTING.value) }], meta: { note: 'kept as is' } },
  { id: 'ui-2', text: '还款期限为36个月。', labels: [] },
  { id: 'ui-3', text: '借款人向贷款人申请借款人民币伍佰万元整，借款期限为36个月，担保方式为抵押加连带责任保证。', labels: [] },
];
const NO_SUGGESTIONS = 'No suggestions for this record';
const SCREENSHOT = join('test-results', 'annotation-view.png');

function codePointSpan(text: string, part: string): { start: number; end: number } {
  const at = text.indexOf(part);
  const start = Array.from(text.slice(0, at)).length;
  return { start, end: start + Array.from(part).length };
}

/** Launches a fresh window on a fresh copy of the samples plus the check's file, and runs the check. */
export async function checkAnnotationView(repo: string, server: CodeServer, authority: string, dir: string, verbose: boolean): Promise<boolean> {
  // String matching off: the check's records share labelled strings, and its suggestion bar is about pre-annotation's.
  const workspace = prepareWorkspace(repo, join(dir, 'workspace'), {
    ...interpreterSettings(repo),
    'finlabel.worker.startOnActivation': false,
    'finlabel.suggestions.stringMatching': false,
  });
  const file = join(workspace, FILE);
  writeFileSync(file, RECORDS.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const workbench = await launchWorkbench({
    executablePath: toolPaths(repo).chromium,
    profileDir: join(dir, 'chromium'),
    onLog: verbose ? (level, message) => print(`[annotation ui ${level}] ${formatConsoleMessage(message)}`) : undefined,
  });
  try {
    await workbench.page.goto(workbenchUrl(server.origin, workspace, developmentPayload(authority, repo)), { timeout: 60_000 });
    const message = await selectAndLabel(workbench.page, file, join(repo, SCREENSHOT));
    print(`annotation view ui check: passed: ${message}`);
    return true;
  } catch (error) {
    const shot = join(repo, 'test-results', 'annotation-view-failure.png');
    await workbench.page.screenshot({ path: shot }).catch(() => undefined);
    print(`annotation view ui check: FAILED: ${(error as Error).message} (screenshot ${shot})`);
    return false;
  } finally {
    await workbench.close();
  }
}

async function selectAndLabel(page: Page, file: string, screenshotPath: string): Promise<string> {
  const deadline = Date.now() + 150_000;
  const left = (): number => Math.max(1000, deadline - Date.now());
  const original = readFileSync(file, 'utf8');

  await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: left() });
  await quickOpen(page, FILE, left);
  await page.locator('.part.editor .editor-group-container.active .monaco-editor').first().waitFor({ state: 'visible', timeout: left() });
  await runCommand(page, 'FinLabel: Open Annotation View', left);

  const frame = await webviewFrame(page, left);
  await frame.waitForFunction((expected) => document.querySelector('.record-text')?.textContent === expected, TEXT, { timeout: left(), polling: 200 });
  await frame.waitForFunction(() => document.querySelectorAll('mark.span').length > 0, undefined, { timeout: left(), polling: 200 });

  // Drag from the left half of the first character to the right half of the last one.
  const { start, end } = codePointSpan(TEXT, SELECT);
  const origin = await frameOrigin(frame);
  const first = await characterBox(frame, start);
  const last = await characterBox(frame, end - 1);
  const y1 = origin.y + (first.top + first.bottom) / 2;
  const y2 = origin.y + (last.top + last.bottom) / 2;
  await page.mouse.move(origin.x + first.left + 2, y1);
  await page.mouse.down();
  await page.mouse.move(origin.x + (first.left + last.right) / 2, (y1 + y2) / 2, { steps: 4 });
  await page.mouse.move(origin.x + last.right - 2, y2, { steps: 4 });
  await page.mouse.up();
  const selected = await frame.evaluate(() => document.getSelection()?.toString() ?? '');
  if (selected !== SELECT) throw new Error(`the drag selected ${JSON.stringify(selected)}, not ${JSON.stringify(SELECT)}`);

  await page.keyboard.press('1');
  await frame.waitForFunction((value) => Array.from(document.querySelectorAll('mark.span')).some((m) => m.textContent === value), SELECT, {
    timeout: left(),
    polling: 200,
  });
  await page.keyboard.press('Control+S');
  const saved = await waitForFile(page, file, (text) => text !== original, left);

  const lines = saved.split('\n');
  const record = JSON.parse(lines[0]) as { labels: { entity: string; value: string; start: number; end: number }[] };
  const added = { entity: '借款金额', value: SELECT, start, end };
  const expected = JSON.stringify({ ...RECORDS[0], labels: [added, ...RECORDS[0].labels] });
  if (lines[0] !== expected) throw new Error(`line 1 is ${lines[0]}, expected ${expected}`);
  if (saved !== original.replace(JSON.stringify(RECORDS[0]), expected)) throw new Error('other lines of the file changed');
  const check = Array.from(TEXT).slice(record.labels[0].start, record.labels[0].end).join('');
  if (check !== SELECT) throw new Error(`text[start:end] is ${check}`);

  // Click the new label: its menu opens.
  const mark = await markBox(frame, SELECT);
  await page.mouse.click(origin.x + (mark.left + mark.right) / 2, origin.y + (mark.top + mark.bottom) / 2);
  await frame.waitForFunction(
    () => {
      const menu = document.querySelector('.span-menu');
      return menu !== null && !menu.hidden && (menu.textContent ?? '').includes('借款金额');
    },
    undefined,
    { timeout: left(), polling: 200 },
  );
  const menuTitle = await frame.evaluate(() => document.querySelector('.span-menu-title')?.textContent ?? '');
  mkdirSync(dirname(screenshotPath), { recursive: true });
  writeFileSync(screenshotPath, await page.screenshot({ type: 'png' }));

  // Ctrl+Z and Ctrl+Shift+Z typed in the view undo and redo the label (the workbench's undo, on the document).
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Z');
  await frame.waitForFunction((value) => !Array.from(document.querySelectorAll('mark.span')).some((m) => m.textContent === value), SELECT, {
    timeout: Math.min(20_000, left()),
    polling: 200,
  });
  await page.keyboard.press('Control+Shift+Z');
  await frame.waitForFunction((value) => Array.from(document.querySelectorAll('mark.span')).some((m) => m.textContent === value), SELECT, {
    timeout: Math.min(20_000, left()),
    polling: 200,
  });
  const suggestions = await rejectAllAndUndo(page, frame, file, saved, original, left);
  return `dragged over ${JSON.stringify(SELECT)}, pressed 1, saved with Ctrl+S: label [${start}, ${end}) in the file; click opened "${menuTitle}"; Ctrl+Z / Ctrl+Shift+Z undid and redid it; ${suggestions}; screenshot ${screenshotPath}`;
}

/** The suggestion bar as drawn: its summary and the buttons one can press (shown and enabled). */
async function suggestionBar(frame: Frame): Promise<{ shown: boolean; summary: string; pressable: string[]; marks: number }> {
  return frame.evaluate(() => {
    const bar = document.querySelector('section.suggestions');
    const visible = (e: PageElement): boolean => e.getBoundingClientRect().width > 0;
    return {
      shown: bar !== null && visible(bar),
      summary: bar?.querySelector('.suggestion-summary')?.textContent ?? '',
      pressable: Array.from(bar?.querySelectorAll('button.suggestion-action') ?? [])
        .filter((b) => visible(b) && b.disabled !== true)
        .map((b) => b.textContent ?? ''),
      marks: document.querySelectorAll('.record-text mark[data-suggestions]').length,
    };
  });
}

type Bar = Awaited<ReturnType<typeof suggestionBar>>;

async function waitForBar(frame: Frame, what: string, ok: (bar: Bar) => boolean, left: () => number, ms = 30_000): Promise<Bar> {
  const until = Date.now() + Math.min(ms, left());
  for (;;) {
    const bar = await suggestionBar(frame);
    if (ok(bar)) return bar;
    if (Date.now() > until) throw new Error(`${what}: the suggestion bar is ${JSON.stringify(bar)}`);
    await frame.page().waitForTimeout(200);
  }
}

/**
 * Pre-annotates from the command palette, checks the bar of a labelled record has no button to press,
 * clicks Reject all on an unlabelled one, then types Ctrl+Z twice in the view: the first brings every
 * suggestion back (the file untouched), the second undoes the label edit made before the rejection.
 */
async function rejectAllAndUndo(page: Page, frame: Frame, file: string, saved: string, original: string, left: () => number): Promise<string> {
  // The shipped model may still be loading: pre-annotate until the unlabelled records have suggestions.
  let bar = await suggestionBar(frame);
  for (let attempt = 0; !bar.shown && attempt < 6; attempt++) {
    await runCommand(page, 'FinLabel: Pre-annotate Unlabelled Records', left);
    bar = await waitForBar(frame, 'after pre-annotating', (b) => b.shown, left, 10_000).catch(() => bar);
  }
  bar = await waitForBar(frame, 'record 1 (labelled) after pre-annotating', (b) => b.shown && b.summary === NO_SUGGESTIONS, left);
  if (bar.pressable.length > 0) throw new Error(`a record without suggestions shows buttons to press: ${bar.pressable.join(', ')}`);

  await frame.locator('#next').click();
  await frame.locator('#next').click();
  const full = await waitForBar(frame, 'record 3 with its suggestions', (b) => b.marks >= 2 && /^\d+ suggestions$/.test(b.summary), left);
  if (full.pressable.join(',') !== 'Accept,Reject,Accept all,Reject all') throw new Error(`record 3's bar offers ${full.pressable.join(', ')}`);

  await frame.locator('button.suggestion-action', { hasText: 'Reject all' }).click();
  bar = await waitForBar(frame, 'after Reject all', (b) => b.marks === 0 && b.summary === NO_SUGGESTIONS, left);
  if (bar.pressable.length > 0) throw new Error(`the emptied bar shows buttons to press: ${bar.pressable.join(', ')}`);

  // Ctrl+Z typed in the view: the rejection was the latest action, so it comes back (all of it) and the file stays.
  const first = await characterBox(frame, 0);
  const origin = await frameOrigin(frame);
  await page.mouse.click(origin.x + first.left + 2, origin.y + (first.top + first.bottom) / 2);
  await page.keyboard.press('Control+Z');
  bar = await waitForBar(frame, 'after Ctrl+Z', (b) => b.marks === full.marks && b.summary === full.summary, left);
  await page.keyboard.press('Control+S');
  await page.waitForTimeout(1000);
  if (readFileSync(file, 'utf8') !== saved) throw new Error('Ctrl+Z after Reject all changed the document too');

  // The next Ctrl+Z is the document's: it undoes the label added before the rejection.
  await page.keyboard.press('Control+Z');
  await page.waitForTimeout(500);
  await page.keyboard.press('Control+S');
  await waitForFile(page, file, (text) => text === original, left);
  return `the empty bar had no button; Reject all cleared ${full.summary}, Ctrl+Z brought all ${full.marks} marks back, the next Ctrl+Z undid the label`;
}

/** F1, the command's title, Enter. */
async function runCommand(page: Page, title: string, left: () => number): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input.input').first();
  await page.keyboard.press('F1');
  await input.waitFor({ state: 'visible', timeout: Math.min(10_000, left()) });
  await input.fill(`>${title}`);
  await widget
    .locator('.monaco-list-row', { hasText: title })
    .first()
    .waitFor({ state: 'visible', timeout: Math.min(20_000, left()) });
  await page.keyboard.press('Enter');
  await widget.waitFor({ state: 'hidden', timeout: Math.min(10_000, left()) });
}

/** The annotation view's page: the frame (nested inside the webview's own iframe) that holds the record text. */
async function webviewFrame(page: Page, left: () => number): Promise<Frame> {
  const until = Date.now() + left();
  for (;;) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      const found = await frame.evaluate(() => document.querySelector('.record-text') !== null).catch(() => false);
      if (found) return frame;
    }
    if (Date.now() > until) throw new Error("the annotation view's webview did not appear");
    await page.waitForTimeout(250);
  }
}

/** Where the frame's viewport starts on the page (it sits inside the webview's outer iframe). */
async function frameOrigin(frame: Frame): Promise<{ x: number; y: number }> {
  const box = await (await frame.frameElement()).boundingBox();
  if (!box) throw new Error('the webview frame is not on screen');
  return { x: box.x, y: box.y };
}

/** The box of code point `cp` of the record text, in the frame's viewport. */
async function characterBox(frame: Frame, cp: number): Promise<PageRect> {
  return frame.evaluate((at) => {
    const container = document.querySelector('.record-text');
    if (!container) throw new Error('no record text');
    const walker = document.createTreeWalker(container, 4 /* NodeFilter.SHOW_TEXT */);
    let seen = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const chars = Array.from(node.data);
      if (at < seen + chars.length) {
        const from = chars.slice(0, at - seen).join('').length;
        const range = document.createRange();
        range.setStart(node, from);
        range.setEnd(node, from + chars[at - seen].length);
        const r = range.getClientRects()[0];
        return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height };
      }
      seen += chars.length;
    }
    throw new Error(`no code point ${at}`);
  }, cp);
}

/** The box of the highlight whose text is `value`, in the frame's viewport. */
async function markBox(frame: Frame, value: string): Promise<PageRect> {
  return frame.evaluate((text) => {
    const mark = Array.from(document.querySelectorAll('mark.span')).find((m) => m.textContent === text);
    if (!mark) throw new Error(`no highlight over ${text}`);
    const r = mark.getBoundingClientRect();
    return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height };
  }, value);
}

async function waitForFile(page: Page, file: string, ok: (text: string) => boolean, left: () => number): Promise<string> {
  const until = Date.now() + left();
  for (;;) {
    const text = readFileSync(file, 'utf8');
    if (ok(text)) return text;
    if (Date.now() > until) throw new Error(`${file} was not saved`);
    await page.waitForTimeout(200);
  }
}
