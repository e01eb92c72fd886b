/** Defaults and validation of the fine-tuning hyperparameters. */
import { DEFAULT_ADAMW } from './adamw';
import { SCHEDULE_NAMES } from './schedule';
import type { Hyperparameters } from './types';

/** Hyperparameters with every default filled in (BOMF's recipe where it has one). */
export type ResolvedHyperparameters = Required<Omit<Hyperparameters, 'maxSteps'>> & {
  maxSteps?: number;
};

/** Fills defaults and checks ranges; errors name the field. */
export function resolveHyperparameters(h: Hyperparameters): ResolvedHyperparameters {
  const r: ResolvedHyperparameters = {
    learningRate: h.learningRate,
    batchSize: Math.floor(h.batchSize),
    epochs: h.epochs ?? 3,
    maxSteps: h.maxSteps,
    weightDecay: h.weightDecay ?? 0.1,
    warmupRatio: h.warmupRatio ?? 0.2,
    schedule: h.schedule ?? 'constant',
    maxGradNorm: h.maxGradNorm ?? 1,
    maxLength: h.maxLength ?? 128,
    adamBeta1: h.adamBeta1 ?? DEFAULT_ADAMW.beta1,
    adamBeta2: h.adamBeta2 ?? DEFAULT_ADAMW.beta2,
    adamEpsilon: h.adamEpsilon ?? DEFAULT_ADAMW.epsilon,
  };
  const positive = ['learningRate', 'batchSize', 'epochs', 'maxLength'] as const;
  for (const key of positive)
    if (!(Number.isFinite(r[key]) && r[key] > 0))
      throw new Error(`hyperparameters.${key} must be a positive number, got ${h[key]}`);
  if (r.maxSteps !== undefined && !(Number.isInteger(r.maxSteps) && r.maxSteps > 0))
    throw new Error(`hyperparameters.maxSteps must be a positive integer, got ${r.maxSteps}`);
  if (!(r.warmupRatio >= 0 && r.warmupRatio <= 1))
    throw new Error(`hyperparameters.warmupRatio must be in [0, 1], got ${r.warmupRatio}`);
  if (!SCHEDULE_NAMES.includes(r.schedule))
    throw new Error(
      `hyperparameters.schedule must be one of ${SCHEDULE_NAMES.join(', ')}, got '${r.schedule}'`,
    );
  if (!(r.weightDecay >= 0))
    throw new Error(`hyperparameters.weightDecay must be ≥ 0, got ${r.weightDecay}`);
  if (!(r.maxGradNorm >= 0))
    throw new Error(`hyperparameters.maxGradNorm must be ≥ 0, got ${r.maxGradNorm}`);
  return r;
}
