/**
 * Loads pdf.js (pdfjs-dist, legacy build) into this process on first use, for reading text only.
 * Bundled into CommonJS it cannot find @napi-rs/canvas (an optional dependency for rendering, not
 * shipped in the VSIX), and its module code builds a DOMMatrix at load time: plain stand-ins for the
 * three canvas classes exist while it loads (text extraction never uses them), and the warnings it
 * prints while loading are kept off stdout, which carries the language server's messages and the
 * CLI's --json output.
 */
import type * as PdfjsModule from 'pdfjs-dist/legacy/build/pdf.mjs';

type Pdfjs = typeof PdfjsModule;

let loading: Promise<Pdfjs> | undefined;

export function loadPdfjs(): Promise<Pdfjs> {
  loading ??= load();
  return loading;
}

const CANVAS_CLASSES = ['DOMMatrix', 'ImageData', 'Path2D'] as const;

class StandIn {
  // A DOMMatrix's identity fields, for the constants pdf.js makes at load time.
  a = 1;
  b = 0;
  c = 0;
  d = 1;
  e = 0;
  f = 0;
}

async function load(): Promise<Pdfjs> {
  const g = globalThis as Record<string, unknown>;
  const added = CANVAS_CLASSES.filter((name) => g[name] === undefined);
  for (const name of added) g[name] = StandIn;
  const { log, warn } = console;
  console.log = (): void => undefined;
  console.warn = (): void => undefined;
  try {
    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
    // The "fake worker": pdf.js runs its worker code in this process when it finds it here.
    g.pdfjsWorker = await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
    return pdfjs;
  } finally {
    console.log = log;
    console.warn = warn;
    for (const name of added) delete g[name];
  }
}
