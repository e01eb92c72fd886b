/**
 * The ask/tell Bayesian optimizer used by the engine (stage 1 hyperparameters, stage 3 fusion
 * weights). All objectives are maximized.
 *
 * State is just the list of observations (x in the unit cube, y) plus the points suggested and not
 * yet observed ("pending"). Every suggestion is a pure function of (options, observations,
 * pending): the initial design is the scrambled Sobol sequence indexed by the number of points
 * issued so far, and every BO step seeds its raw samples and restarts from (seed, that index),
 * with no warm start carried between steps. Hence `fromObservations` rebuilds an optimizer whose
 * next suggestion equals the original one's (when nothing was pending).
 *
 * A BO step reads fit → build → screen → optimize: outcomes are standardized per objective
 * (HV-based acquisitions only need a positive affine map per objective, which preserves
 * dominance), one GP per objective is fitted by MAP (gp/fit.ts), the acquisition is built by one
 * factory (acquisition/acquisition.ts), raw samples are screened by value in one batch, and the
 * best are refined by multi-start L-BFGS-B (optim/):
 *  - 'logei' (m = 1): LogEI over the best observation;
 *  - 'ehvi' (m ≥ 2): exact log EHVI from the box decomposition of the observed front;
 *  - 'qlognehvi' (m ≥ 2): qLogNEHVI over joint posterior samples at the observed points.
 * Pending points: for LogEI/EHVI they are fantasized at their posterior mean (Kriging believer)
 * and the models refitted; qLogNEHVI adds them to its baseline (sequential greedy).
 * On the simplex the GPs see the weights by default (search-space.ts). A candidate that
 * coincides with an evaluated or pending point (after rounding by the domain; on the simplex,
 * weights within 1e-3) falls back to the next best candidate, then to the next unused Sobol point.
 */
import type { Acquisition } from './acquisition/acquisition';
import { BoxDomain, type ParamSpec, SimplexDomain, type UnitCubeDomain } from './domain';
import { hypervolume, referencePoint } from './hypervolume';
import { optimizeAcquisition } from './optim';
import { paretoFront } from './pareto';
import { DUPLICATE_TOL, type SearchSpace, type SurrogateInputs, searchSpace } from './search-space';
import { sobol } from './sobol';
import { type AcquisitionKind, stepAcquisition } from './step-acquisition';

export type { ParamSpec };
export type Domain =
  | { kind: 'box'; params: ParamSpec[] }
  | {
      kind: 'simplex';
      size: number;
      parametrization?: 'stick-breaking' | 'bomf-cube';
      /** What the GPs see: the weights (default) or the parametrization's coordinates. */
      surrogate?: SurrogateInputs;
    };

export interface OptimizerOptions {
  domain: Domain;
  /** Number of objectives m ≥ 1; all maximized. */
  objectives: number;
  seed: number;
  /** Sobol points before the GP takes over. */
  initialDesign: number;
  /** Default: logei for m = 1, ehvi for m = 2 and one point at a time, else qlognehvi. */
  acquisition?: AcquisitionKind;
  /** (m) reference point, else BoTorch's rule on the observed Pareto front. */
  refPoint?: number[];
  /** GP noise-variance floor in standardized units (default 1e-6). */
  noiseFloor?: number;
  /** Raw Sobol samples screened before L-BFGS-B (default 512). */
  rawSamples?: number;
  /** L-BFGS-B starts (default 10). */
  restarts?: number;
  /** Quasi-MC samples of qLogNEHVI (default 128). */
  mcSamples?: number;
}

export interface Suggestion {
  /** Unit-cube coordinates, the optimizer's own; pass them back to `observe`. */
  x: number[];
  /** Box: parameter values in natural units (ints rounded); simplex: weights summing to 1. */
  point: number[];
  source: 'initial' | 'bo';
}

/** Fallback Sobol points are taken from this far along the design sequence. */
const FALLBACK_OFFSET = 1 << 20;
const MAX_FALLBACKS = 256;
/** Raw samples kept after screening: enough for a diverse Boltzmann choice of starts. */
const SCREENED_PER_RESTART = 4;
const SCREENED_MIN = 32;
export class BayesOptimizer {
  private readonly opts: OptimizerOptions;
  private readonly domain: UnitCubeDomain;
  private readonly space: SearchSpace;
  private readonly data: { x: number[]; y: number[] }[] = [];
  private pending: number[][] = [];

  /** @throws on invalid options, naming the field. */
  constructor(opts: OptimizerOptions) {
    const m = opts.objectives;
    if (!Number.isInteger(m) || m < 1)
      throw new Error(`optimizer: objectives must be an integer ≥ 1, got ${m}`);
    if (!Number.isFinite(opts.seed))
      throw new Error(`optimizer: seed must be a finite number, got ${opts.seed}`);
    if (!Number.isInteger(opts.initialDesign) || opts.initialDesign < 0) {
      throw new Error(`optimizer: initialDesign must be an integer ≥ 0, got ${opts.initialDesign}`);
    }
    if (opts.acquisition === 'logei' && m !== 1)
      throw new Error('optimizer: acquisition logei needs objectives = 1');
    if ((opts.acquisition === 'ehvi' || opts.acquisition === 'qlognehvi') && m < 2) {
      throw new Error(`optimizer: acquisition ${opts.acquisition} needs objectives ≥ 2`);
    }
    if (opts.refPoint && opts.refPoint.length !== m) {
      throw new Error(`optimizer: refPoint has ${opts.refPoint.length} entries, objectives = ${m}`);
    }
    this.opts = { ...opts, refPoint: opts.refPoint?.slice() };
    this.domain =
      opts.domain.kind === 'box'
        ? new BoxDomain(opts.domain.params)
        : new SimplexDomain(opts.domain.size, opts.domain.parametrization ?? 'stick-breaking');
    this.space = searchSpace(
      this.domain,
      opts.domain.kind === 'simplex' ? (opts.domain.surrogate ?? 'weights') : 'coordinates',
    );
  }

  /**
   * Rebuilds the state from stored observations (for resume), plus the points
   * suggested earlier and still being evaluated (`pending`, unit-cube x in
   * suggestion order), so the next suggestion conditions on them.
   */
  static fromObservations(
    opts: OptimizerOptions,
    obs: { x: number[]; y: number[] }[],
    pending: number[][] = [],
  ): BayesOptimizer {
    const optimizer = new BayesOptimizer(opts);
    for (const o of obs) optimizer.observe(o.x, o.y);
    optimizer.pending = pending.map((x) => x.slice());
    return optimizer;
  }

  /** Dimension of the unit cube the optimizer searches. */
  get dim(): number {
    return this.domain.dim;
  }

  get observations(): { x: number[]; y: number[] }[] {
    return this.data.map((o) => ({ x: o.x.slice(), y: o.y.slice() }));
  }

  /** Unit cube → user coordinates. */
  toPoint(x: number[]): number[] {
    return this.domain.toPoint(x);
  }

  /** User coordinates → the canonical unit-cube point (what `observe` expects). */
  fromPoint(point: number[]): number[] {
    return this.domain.fromPoint(point);
  }

  /**
   * Next points to evaluate; n > 1 is a batch for parallel evaluation. Suggested points stay
   * pending (never suggested again) until observed.
   */
  suggest(n = 1): Suggestion[] {
    if (!Number.isInteger(n) || n < 1)
      throw new Error(`optimizer: suggest(n) needs an integer n ≥ 1, got ${n}`);
    const out: Suggestion[] = [];
    for (let i = 0; i < n; i++) {
      const index = this.data.length + this.pending.length;
      const useDesign = index < this.opts.initialDesign || this.data.length < 2;
      let x = useDesign ? this.designPoint(index) : this.boStep(index, n);
      const source = useDesign ? 'initial' : 'bo';
      // Bounded: on a small discrete domain every point may be taken, then a repeat is allowed.
      for (let k = 0; k < MAX_FALLBACKS && this.isTaken(x); k++) {
        x = this.designPoint(FALLBACK_OFFSET + index * MAX_FALLBACKS + k);
      }
      this.pending.push(x);
      out.push({ x: x.slice(), point: this.domain.toPoint(x), source });
    }
    return out;
  }

  /**
   * Records an evaluation.
   * @param x - unit-cube coordinates as returned in `Suggestion.x` (or `fromPoint` of a user point).
   * @param y - (m) objective values, finite, maximized.
   */
  observe(x: number[], y: number[]): void {
    const { dim } = this.domain;
    const m = this.opts.objectives;
    if (x.length !== dim)
      throw new Error(`optimizer: observe x has ${x.length} coordinates, expected ${dim}`);
    if (x.some((v) => !(v >= 0 && v <= 1)))
      throw new Error(`optimizer: observe x must lie in [0,1]^${dim}, got [${x}]`);
    if (y.length !== m)
      throw new Error(`optimizer: observe y has ${y.length} values, expected ${m}`);
    if (y.some((v) => !Number.isFinite(v)))
      throw new Error(`optimizer: observe y must be finite, got [${y}]`);
    this.data.push({ x: x.slice(), y: y.slice() });
    const at = this.pending.findIndex((p) => sameX(p, x));
    if (at >= 0) this.pending.splice(at, 1);
  }

  /** Indices (into `observations`) of the Pareto-optimal observations; m = 1: the argmax. */
  paretoFront(): number[] {
    return paretoFront(this.data.map((o) => o.y));
  }

  /** Hypervolume of the observations above the reference point (user-given or inferred). */
  hypervolume(): number {
    if (this.data.length === 0) return 0;
    const Y = this.data.map((o) => o.y);
    return hypervolume(Y, referencePoint(Y, this.opts.refPoint));
  }

  /** Point `index` of the seeded scrambled Sobol design, mapped for even coverage of the domain. */
  private designPoint(index: number): number[] {
    const u = sobol(1, this.domain.uniformDim, {
      scramble: true,
      seed: this.opts.seed,
      skip: index,
    })[0]!;
    return this.canonical(this.domain.fromUniform(u));
  }

  /** The representative of x's user point, so rounding (ints, rays) never hides a duplicate. */
  private canonical(x: number[]): number[] {
    return this.domain.fromPoint(this.domain.toPoint(x));
  }

  private isTaken(x: number[]): boolean {
    const { space } = this;
    return this.data.some((o) => space.same(o.x, x)) || this.pending.some((p) => space.same(p, x));
  }

  private boStep(index: number, batchSize: number): number[] {
    const stepSeed = hashSeed(this.opts.seed, index);
    const { space } = this;
    const acquisition = space.warp(this.buildAcquisition(stepSeed, batchSize));
    // Screen the raw samples by value in one batch and hand only the best ones to the
    // multi-start optimizer, which evaluates gradients at every point it is given.
    const restarts = this.opts.restarts ?? 10;
    const raw = sobol(this.opts.rawSamples ?? 512, this.domain.uniformDim, {
      scramble: true,
      seed: stepSeed,
    }).map((u) => space.fromUniform(u));
    const values = acquisition.values(raw);
    const order = raw.map((_, i) => i).filter((i) => !Number.isNaN(values[i]!));
    order.sort((a, b) => values[b]! - values[a]! || a - b);
    const rawPoints = order
      .slice(0, Math.max(SCREENED_MIN, SCREENED_PER_RESTART * restarts))
      .map((i) => raw[i]!);
    const taken = [...this.data.map((o) => o.x), ...this.pending];
    const result = optimizeAcquisition(acquisition.valueAndGrad, space.dim, {
      rawPoints: rawPoints.length > 0 ? rawPoints : raw,
      restarts,
      seed: stepSeed,
      incumbents: this.incumbents().map((x) => space.fromX(x)),
      isDuplicate: (z) => {
        const x = space.toX(z);
        return taken.some((t) => space.same(t, x));
      },
    });
    return this.canonical(space.toX(result.x));
  }

  /** Fit one GP per standardized objective and build the step's acquisition (step-acquisition.ts). */
  private buildAcquisition(stepSeed: number, batchSize: number): Acquisition {
    const input = (x: number[]) => this.space.modelInput(x);
    return stepAcquisition({
      X: this.data.map((o) => input(o.x)),
      Y: this.data.map((o) => o.y),
      pending: this.pending.map(input),
      batchSize,
      stepSeed,
      kind: this.opts.acquisition,
      refPoint: this.opts.refPoint,
      noiseFloor: this.opts.noiseFloor,
      mcSamples: this.opts.mcSamples,
    });
  }

  /** Starts that are always tried: the best observation (m = 1) or up to 5 Pareto points. */
  private incumbents(): number[][] {
    return this.paretoFront()
      .slice(0, 5)
      .map((i) => this.data[i]!.x.slice());
  }
}

function sameX(a: readonly number[], b: readonly number[]): boolean {
  return a.every((v, k) => Math.abs(v - b[k]!) <= DUPLICATE_TOL);
}

/** A 32-bit seed derived from the user seed and the index of the point being chosen. */
function hashSeed(seed: number, index: number): number {
  let h = (Math.trunc(seed) ^ Math.imul(index + 1, 0x9e3779b1)) | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
