/**
 * Learning-rate schedules: linear warmup from 0 to the base rate, then constant,
 * linear decay to 0, or cosine decay to 0 at the last step.
 */

export type ScheduleName = 'constant' | 'linear' | 'cosine';
export const SCHEDULE_NAMES: readonly ScheduleName[] = ['constant', 'linear', 'cosine'];

export interface ScheduleOptions {
  /** Peak learning rate, reached at the end of warmup. */
  learningRate: number;
  totalSteps: number;
  warmupSteps: number;
  schedule: ScheduleName;
}

/**
 * Learning rate of optimizer step `step` (1-based: step 1 is the first update).
 * Warmup is linear, lr·step/warmup, reaching the peak on step `warmup` (unlike
 * Hugging Face's (step−1)/warmup, no step is spent at lr 0). After warmup, progress
 * p = (step − 1 − warmup)/(total − warmup) ∈ [0, 1): linear → lr·(1 − p),
 * cosine → lr·(1 + cos πp)/2, constant → lr; so step warmup+1 runs at the peak and
 * the last step at a small positive rate.
 */
export function learningRateAt(step: number, o: ScheduleOptions): number {
  if (o.warmupSteps > 0 && step <= o.warmupSteps) return (o.learningRate * step) / o.warmupSteps;
  if (o.schedule === 'constant') return o.learningRate;
  const decaySteps = o.totalSteps - o.warmupSteps;
  if (decaySteps <= 0) return o.learningRate;
  const progress = Math.min(1, Math.max(0, (step - 1 - o.warmupSteps) / decaySteps));
  if (o.schedule === 'linear') return o.learningRate * (1 - progress);
  return (o.learningRate * (1 + Math.cos(Math.PI * progress))) / 2;
}

/** Warmup length in steps for a fraction of training (rounded, as in Hugging Face's Trainer). */
export function warmupStepsFor(warmupRatio: number, totalSteps: number): number {
  return Math.ceil(warmupRatio * totalSteps);
}
