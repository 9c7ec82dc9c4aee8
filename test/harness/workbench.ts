import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Flags for Debian's Chromium on a headless, offline machine (the guide's list; Playwright adds --headless). */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A log file the workbench hands over when the extension tests end. */
export interface WorkbenchLog {
  readonly relativePath: string;
  readonly contents: string;
}

export interface WorkbenchOptions {
  /** Debian's Chromium. */
  readonly executablePath: string;
  /** A fresh, empty profile folder. */
  readonly profileDir: string;
  readonly viewport?: { readonly width: number; readonly height: number };
  /** The extension host's console output (window.codeAutomationLog). */
  readonly onLog?: (level: string, message: string) => void;
  /** The extension tests finished (window.codeAutomationExit). */
  readonly onExit?: (code: number, logs: readonly WorkbenchLog[]) => void;
  /** Errors thrown in the page itself. */
  readonly onPageError?: (message: string) => void;
}

export interface Workbench {
  readonly context: BrowserContext;
  readonly page: Page;
  close(): Promise<void>;
}

/**
 * Launches Chromium with one page whose codeAutomationLog/codeAutomationExit hooks are in place;
 * navigate it with `page.goto(workbenchUrl(...))`.
 */
export async function launchWorkbench(options: WorkbenchOptions): Promise<Workbench> {
  // Chromium keeps crash reports and caches under XDG_CONFIG_HOME/XDG_CACHE_HOME: keep them beside
  // the profile, out of $HOME.
  const xdg = `${options.profileDir}-xdg`;
  const context = await chromium.launchPersistentContext(options.profileDir, {
    executablePath: options.executablePath,
    headless: true,
    args: [...CHROMIUM_ARGS],
    env: { ...process.env, XDG_CONFIG_HOME: join(xdg, 'config'), XDG_CACHE_HOME: join(xdg, 'cache') },
    viewport: options.viewport ?? { width: 1600, height: 1000 },
    timeout: 60_000,
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.exposeFunction('codeAutomationLog', (level: unknown, message: unknown) => {
      options.onLog?.(String(level), typeof message === 'string' ? message : JSON.stringify(message));
    });
    await page.exposeFunction('codeAutomationExit', (code: unknown, logs: unknown) => {
      options.onExit?.(typeof code === 'number' ? code : Number(code), Array.isArray(logs) ? (logs as WorkbenchLog[]) : []);
    });
    page.on('pageerror', (error) => options.onPageError?.(error.message));
    return { context, page, close: () => closeQuietly(context) };
  } catch (error) {
    await closeQuietly(context);
    throw error;
  }
}

async function closeQuietly(context: BrowserContext): Promise<void> {
  await Promise.race([context.close().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 10_000))]);
}

/** One entry of the workbench's URL payload, e.g. ["extensionDevelopmentPath", "vscode-remote://remote/..."]. */
export type PayloadEntry = readonly [string, string];

/** A path on the server as the workbench names it. */
export function remoteUri(authority: string, absolutePath: string): string {
  return `vscode-remote://${authority}${encodeURI(absolutePath)}`;
}

/** http://HOST/?folder=<abs>&payload=<JSON> */
export function workbenchUrl(origin: string, folder: string, payload: readonly PayloadEntry[]): string {
  const params = new URLSearchParams({ folder });
  if (payload.length > 0) params.set('payload', JSON.stringify(payload));
  return `${origin}/?${params.toString()}`;
}

/** Payload for the extension under development, optionally running a tests module. */
export function developmentPayload(authority: string, extensionPath: string, testsModule?: string): PayloadEntry[] {
  const payload: PayloadEntry[] = [['extensionDevelopmentPath', remoteUri(authority, extensionPath)]];
  if (testsModule) payload.push(['extensionTestsPath', remoteUri(authority, testsModule)]);
  payload.push(['skipWelcome', 'true']);
  return payload;
}
