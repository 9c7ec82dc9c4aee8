import type { JobProgress } from '../../common/workerProtocol';

const seconds = (s: number): string => (s >= 90 ? `${Math.floor(s / 60)} min ${Math.round(s % 60)} s` : `${Math.round(s)} s`);

/** One human line for a progress notification: "epoch 2/5, step 40/120: loss 0.312, lr 4.1e-05, 512 samples/s, 1 min 12 s left". */
export function progressLine(p: JobProgress): string {
  if (p.phase !== 'train')
    return `${p.phase}${p.message ? `: ${p.message}` : ''}${p.phase === 'evaluate' && p.epochs > 0 ? ` (epoch ${p.epoch}/${p.epochs})` : ''}`;
  const parts = [
    p.loss === null ? undefined : `loss ${p.loss.toFixed(4)}`,
    p.learningRate === null ? undefined : `lr ${p.learningRate.toExponential(1)}`,
    p.samplesPerSecond === null ? undefined : `${p.samplesPerSecond.toFixed(0)} samples/s`,
    p.gpuMemoryBytes === null ? undefined : `GPU ${(p.gpuMemoryBytes / 2 ** 30).toFixed(1)} GiB`,
    p.etaSeconds === null ? undefined : `${seconds(p.etaSeconds)} left`,
  ].filter((x): x is string => x !== undefined);
  return `epoch ${p.epoch}/${p.epochs}, step ${p.step}/${p.steps}: ${parts.join(', ')}`;
}
