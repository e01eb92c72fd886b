/**
 * Bound-constrained limited-memory BFGS by projection ("projected L-BFGS").
 *
 * Simpler than Byrd–Lu–Nocedal–Zhu's L-BFGS-B (no generalized Cauchy point), and sufficient for
 * the smooth, low-dimensional problems of BO (hyperparameter fits, acquisition maximization):
 *  1. variables at a bound whose gradient pushes outward are held fixed (the active set);
 *  2. the L-BFGS two-loop recursion gives a quasi-Newton direction in the free variables;
 *  3. a backtracking Armijo search runs along the projected path P(x + t·d) onto the box.
 * Stops when the projected gradient ‖P(x − g) − x‖∞ ≤ gradTol, when the relative decrease of f
 * falls below valueTol (scipy's `ftol` criterion), or after maxIterations.
 */

/** Objective value and gradient at x. */
export interface ValueAndGrad {
  value: number;
  /** (d,) gradient. */
  grad: ArrayLike<number>;
}

/** Objective: x (d,) → value and gradient. */
export type Objective = (x: number[]) => ValueAndGrad;

export interface LbfgsbOptions {
  /** (d,) lower bounds; −∞ by default. */
  lower?: ArrayLike<number>;
  /** (d,) upper bounds; +∞ by default. */
  upper?: ArrayLike<number>;
  /** Iteration limit (default 200). */
  maxIterations?: number;
  /** Number of stored correction pairs (default 10). */
  memory?: number;
  /** Tolerance on the ∞-norm of the projected gradient (default 1e-6). */
  gradTol?: number;
  /** Tolerance on the relative decrease (f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) (default 1e-10). */
  valueTol?: number;
}

export type LbfgsbStatus = 'converged' | 'maxIterations' | 'lineSearchFailed' | 'nonFinite';

export interface LbfgsbResult {
  /** (d,) best point found (inside the bounds). */
  x: number[];
  value: number;
  /** (d,) gradient at x. */
  grad: number[];
  iterations: number;
  evaluations: number;
  status: LbfgsbStatus;
}

const ARMIJO = 1e-4;
const MAX_BACKTRACKS = 40;

/**
 * Minimizes f over the box [lower, upper] from x0 (projected into the box first).
 * @param x0 - (d,) starting point.
 */
export function minimizeLbfgsb(
  f: Objective,
  x0: ArrayLike<number>,
  opts: LbfgsbOptions = {},
): LbfgsbResult {
  const d = x0.length;
  const lower = opts.lower ?? new Array(d).fill(Number.NEGATIVE_INFINITY);
  const upper = opts.upper ?? new Array(d).fill(Number.POSITIVE_INFINITY);
  const maxIterations = opts.maxIterations ?? 200;
  const memory = opts.memory ?? 10;
  const gradTol = opts.gradTol ?? 1e-6;
  const valueTol = opts.valueTol ?? 1e-10;
  if (lower.length !== d || upper.length !== d)
    throw new Error(`lbfgsb: bounds must have length ${d}`);
  for (let i = 0; i < d; i++) {
    if (!(lower[i] <= upper[i]))
      throw new Error(`lbfgsb: lower[${i}] = ${lower[i]} exceeds upper[${i}] = ${upper[i]}`);
  }
  const project = (v: number[]) => v.map((vi, i) => Math.min(upper[i], Math.max(lower[i], vi)));

  let evaluations = 0;
  const evaluate = (x: number[]) => {
    evaluations++;
    const r = f(x);
    return { value: r.value, grad: Array.from(r.grad) };
  };
  let x = project(Array.from(x0));
  let { value, grad } = evaluate(x);
  const result = (status: LbfgsbStatus, iterations: number): LbfgsbResult => ({
    x,
    value,
    grad,
    iterations,
    evaluations,
    status,
  });
  if (!Number.isFinite(value) || !grad.every(Number.isFinite)) return result('nonFinite', 0);

  const S: number[][] = [];
  const Y: number[][] = [];
  for (let iter = 0; iter < maxIterations; iter++) {
    let pgNorm = 0;
    const free = new Array<boolean>(d);
    for (let i = 0; i < d; i++) {
      pgNorm = Math.max(
        pgNorm,
        Math.abs(Math.min(upper[i], Math.max(lower[i], x[i] - grad[i])) - x[i]),
      );
      free[i] = !((x[i] <= lower[i] && grad[i] > 0) || (x[i] >= upper[i] && grad[i] < 0));
    }
    if (pgNorm <= gradTol) return result('converged', iter);

    let dir = quasiNewtonDirection(grad, free, S, Y);
    let slope = dot(grad, dir);
    if (!(slope < 0)) {
      // Not a descent direction (stale curvature next to the bounds): restart from steepest descent.
      S.length = 0;
      Y.length = 0;
      dir = grad.map((g, i) => (free[i] ? -g : 0));
      slope = dot(grad, dir);
    }
    // Without curvature information, the first step is scaled to move at most ~1 unit.
    let t = S.length === 0 ? Math.min(1, 1 / Math.sqrt(-slope)) : 1;
    let accepted: { x: number[]; value: number; grad: number[] } | null = null;
    for (let k = 0; k < MAX_BACKTRACKS && !accepted; k++, t *= 0.5) {
      const xNew = project(x.map((xi, i) => xi + t * dir[i]));
      let predicted = 0;
      let moved = false;
      for (let i = 0; i < d; i++) {
        predicted += grad[i] * (xNew[i] - x[i]);
        if (xNew[i] !== x[i]) moved = true;
      }
      if (!moved) break;
      const trial = evaluate(xNew);
      if (
        Number.isFinite(trial.value) &&
        trial.value <= value + ARMIJO * predicted &&
        trial.grad.every(Number.isFinite)
      ) {
        accepted = { x: xNew, ...trial };
      }
    }
    if (!accepted) {
      if (S.length === 0) return result('lineSearchFailed', iter);
      S.length = 0; // retry once more from steepest descent
      Y.length = 0;
      continue;
    }
    const s = accepted.x.map((v, i) => v - x[i]);
    const y = accepted.grad.map((v, i) => v - grad[i]);
    const sy = dot(s, y);
    // Keep only pairs with positive curvature so that the implicit Hessian stays positive definite.
    if (sy > 1e-10 * dot(y, y)) {
      S.push(s);
      Y.push(y);
      if (S.length > memory) {
        S.shift();
        Y.shift();
      }
    }
    const decrease = value - accepted.value;
    x = accepted.x;
    grad = accepted.grad;
    const previous = value;
    value = accepted.value;
    if (decrease <= valueTol * Math.max(Math.abs(previous), Math.abs(value), 1))
      return result('converged', iter + 1);
  }
  return result('maxIterations', maxIterations);
}

/** Maximizes f over the box (minimizes −f); the result reports f's own value and gradient. */
export function maximizeLbfgsb(
  f: Objective,
  x0: ArrayLike<number>,
  opts: LbfgsbOptions = {},
): LbfgsbResult {
  const r = minimizeLbfgsb(
    (x) => {
      const { value, grad } = f(x);
      return { value: -value, grad: Array.from(grad, (g) => -g) };
    },
    x0,
    opts,
  );
  return { ...r, value: -r.value, grad: r.grad.map((g) => -g) };
}

/** −H·g restricted to the free variables, by the L-BFGS two-loop recursion (Nocedal & Wright, Alg. 7.4). */
function quasiNewtonDirection(
  grad: number[],
  free: boolean[],
  S: number[][],
  Y: number[][],
): number[] {
  const q = grad.map((g, i) => (free[i] ? g : 0));
  const mask = (v: number[]) => v.map((vi, i) => (free[i] ? vi : 0));
  const k = S.length;
  const alpha = new Array<number>(k);
  const rho = new Array<number>(k);
  const Sf = S.map(mask);
  const Yf = Y.map(mask);
  for (let j = k - 1; j >= 0; j--) {
    const sy = dot(Sf[j], Yf[j]);
    rho[j] = sy > 0 ? 1 / sy : 0;
    alpha[j] = rho[j] * dot(Sf[j], q);
    for (let i = 0; i < q.length; i++) q[i] -= alpha[j] * Yf[j][i];
  }
  if (k > 0) {
    const yy = dot(Yf[k - 1], Yf[k - 1]);
    const gamma = yy > 0 ? dot(Sf[k - 1], Yf[k - 1]) / yy : 1;
    for (let i = 0; i < q.length; i++) q[i] *= gamma > 0 ? gamma : 1;
  }
  for (let j = 0; j < k; j++) {
    const beta = rho[j] * dot(Yf[j], q);
    for (let i = 0; i < q.length; i++) q[i] += Sf[j][i] * (alpha[j] - beta);
  }
  return q.map((v, i) => (free[i] ? -v : 0));
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
