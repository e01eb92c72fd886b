/**
 * Acquisitions as objects: `valueAndGrad(x)` for the gradient-based optimizer and `values(X)` for
 * screening many raw points at once (one batched posterior where the acquisition allows it).
 * One factory builds every kind from fitted models, so the optimizer reads
 * fit → build → screen → optimize (as BoTorch's acquisitions sit on `Model.posterior`).
 */
import type { FittedGP } from '../gp/fit';
import { nonDominatedBoxes } from '../hypervolume/box-decomposition';
import type { Objective } from '../optim';
import { logEHVIObjective, logEHVIValues, logEIObjective, logEIValues } from './analytic';
import { qLogNEHVIObjective } from './qlognehvi';

export interface Acquisition {
  /** Value (log scale) and its (d) gradient at one point; maximized. */
  valueAndGrad: Objective;
  /** Values at many points. */
  values(X: number[][]): number[];
}

export type AcquisitionKind = 'logei' | 'ehvi' | 'qlognehvi';

export interface AcquisitionSpec {
  kind: AcquisitionKind;
  /** (m) fitted models, one per objective, in the units of `observed` and `ref`. */
  models: readonly FittedGP[];
  /** (n, m) outcomes the improvement is measured against (LogEI: the best; EHVI: the front). */
  observed: number[][];
  /** (nb, d) qLogNEHVI's baseline: evaluated and pending inputs. */
  baseline: number[][];
  /** (m) reference point (ignored by LogEI). */
  ref: number[];
  /** qLogNEHVI's quasi-MC samples (default 128). */
  mcSamples?: number;
  /** Seed of qLogNEHVI's base samples (default 0). */
  seed?: number;
}

/** Builds the acquisition `spec.kind` over fitted models. */
export function buildAcquisition(spec: AcquisitionSpec): Acquisition {
  const { models } = spec;
  switch (spec.kind) {
    case 'logei': {
      const model = models[0]!;
      const best = Math.max(...spec.observed.map((r) => r[0]!));
      return {
        valueAndGrad: logEIObjective(model, best),
        values: (X) => logEIValues(model, best, X),
      };
    }
    case 'ehvi': {
      const boxes = nonDominatedBoxes(spec.observed, spec.ref);
      return {
        valueAndGrad: logEHVIObjective(models, boxes),
        values: (X) => logEHVIValues(models, boxes, X),
      };
    }
    case 'qlognehvi': {
      const objective = qLogNEHVIObjective(models, spec.baseline, spec.ref, {
        mcSamples: spec.mcSamples ?? 128,
        seed: spec.seed ?? 0,
      });
      return { valueAndGrad: objective, values: (X) => X.map((x) => objective(x).value) };
    }
  }
}
