import type { JobProgress } from '../../common/workerProtocol';

function timeLeft(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s left`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min left`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min left`;
}

/** The notification's line: "epoch 2/5 · step 40/120 · loss 0.31 · 512 samples/s · 1 min left". */
export function progressSummary(p: JobProgress): string {
  if (p.phase !== 'train') {
    const what = { load: 'loading the model', evaluate: 'scoring the dev set', export: 'exporting to ONNX', save: 'saving the model' }[p.phase];
    return [p.epochs > 0 && p.phase === 'evaluate' ? `epoch ${p.epoch}/${p.epochs}` : undefined, p.message ?? what].filter(Boolean).join(' · ');
  }
  return [
    `epoch ${p.epoch}/${p.epochs}`,
    `step ${p.step}/${p.steps}`,
    p.loss === null ? undefined : `loss ${p.loss.toFixed(2)}`,
    p.samplesPerSecond === null ? undefined : `${Math.round(p.samplesPerSecond)} samples/s`,
    p.etaSeconds === null ? undefined : timeLeft(p.etaSeconds),
  ]
    .filter(Boolean)
    .join(' · ');
}

/** How far the whole job is, 0-100, from its epochs and steps (null before training starts). */
export function percentDone(p: JobProgress): number | null {
  if (p.phase !== 'train' || p.epochs <= 0 || p.steps <= 0) return null;
  return Math.min(100, (((p.epoch - 1) * p.steps + p.step) / (p.epochs * p.steps)) * 100);
}
