/** pdf.js's worker module: loaded in-process so that pdf.js needs no worker file (it reads `globalThis.pdfjsWorker`). */
declare module 'pdfjs-dist/legacy/build/pdf.worker.mjs' {
  export const WorkerMessageHandler: unknown;
}
