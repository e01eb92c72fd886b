/**
 * The model half of one BO step: standardize the outcomes, fit one GP per objective, condition
 * on the pending points and build the acquisition. Kept apart from the optimizer's ask/tell
 * bookkeeping (optimizer.ts) so each reads as one concept: this file is "fit → build", the
 * optimizer is "screen → optimize → de-duplicate".
 */
import { type Acquisition, buildAcquisition } from './acquisition/acquisition';
import { type FittedGP, fitGP } from './gp/fit';
import { standardize } from './gp/standardize';
import { referencePoint } from './hypervolume';

export type AcquisitionKind = 'logei' | 'ehvi' | 'qlognehvi';

/**
 * Random restarts of each GP fit besides the prior-mode start. BoTorch fits from one start;
 * every fit here starts afresh (no warm start) so that a resumed run repeats the same steps.
 */
const FIT_RESTARTS = 0;

export interface StepInputs {
  /** Model inputs of the observations and their (m) objective values, maximized. */
  X: number[][];
  Y: number[][];
  /** Model inputs of the points suggested and not yet observed. */
  pending: number[][];
  /** Points requested in this batch (EHVI only serves one at a time). */
  batchSize: number;
  stepSeed: number;
  kind?: AcquisitionKind;
  refPoint?: number[];
  noiseFloor?: number;
  mcSamples?: number;
}

/** Default: logei for m = 1, exact EHVI for m = 2 one point at a time, else qLogNEHVI. */
function acquisitionKind(objectives: number, batchSize: number, pending: number): AcquisitionKind {
  if (objectives === 1) return 'logei';
  return objectives === 2 && batchSize === 1 && pending === 0 ? 'ehvi' : 'qlognehvi';
}

/** Fit one GP per standardized objective and build the step's acquisition over them. */
export function stepAcquisition(step: StepInputs): Acquisition {
  const { X, pending, stepSeed } = step;
  const Ys = standardizeColumns(step.Y);
  const ref = referencePoint(step.Y, step.refPoint).map((r, j) => (r - Ys.mean[j]!) / Ys.std[j]!);
  const fit = (Xfit: number[][], column: number[]) =>
    fitGP(Xfit, column, {
      noiseFloor: step.noiseFloor ?? 1e-6,
      seed: stepSeed,
      restarts: FIT_RESTARTS,
    });
  let models: FittedGP[] = Ys.columns.map((col) => fit(X, col));
  const kind = step.kind ?? acquisitionKind(Ys.columns.length, step.batchSize, pending.length);
  let observed = Ys.rows;
  if (kind !== 'qlognehvi' && pending.length > 0) {
    // Kriging believer: pending points enter the data at their posterior means.
    const fantasies = pending.map((p) => models.map((g) => g.posterior([p]).mean[0]!));
    observed = [...observed, ...fantasies];
    const Xall = [...X, ...pending];
    models = models.map((_, j) =>
      fit(
        Xall,
        observed.map((r) => r[j]!),
      ),
    );
  }
  return buildAcquisition({
    kind,
    models,
    observed,
    baseline: [...X, ...pending],
    ref,
    mcSamples: step.mcSamples ?? 128,
    seed: stepSeed,
  });
}

/** Per-objective standardization (gp/standardize.ts), as rows and as columns. */
function standardizeColumns(Y: number[][]): {
  rows: number[][];
  columns: number[][];
  mean: number[];
  std: number[];
} {
  const perObjective = Y[0]!.map((_, j) => standardize(Y.map((y) => y[j]!)));
  const columns = perObjective.map((s) => s.values);
  return {
    rows: Y.map((_, i) => columns.map((c) => c[i]!)),
    columns,
    mean: perObjective.map((s) => s.mean),
    std: perObjective.map((s) => s.std),
  };
}
