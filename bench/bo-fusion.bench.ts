/**
 * Stage-3 BO on a synthetic fusion problem (`npm run bench -- bo-fusion`): hypervolume after B
 * evaluations for GP-on-weights (the default now), GP-on-coordinates (stick-breaking
 * coordinates, the previous default) and plain scrambled Sobol, median over SEEDS seeds.
 *
 * The problem mimics what stage 3 sees. K members are points θ_k ∈ R^D on a training trajectory;
 * the fused model is θ(w) = Σ w_k θ_k. Its validation loss is quadratic around a target that is
 * a convex combination of members {1, 3, 4} (the loss optimum lies on that face), and its
 * validation accuracy is a logistic score of the distance to a target on the edge {1, 3},
 * rounded to 1/200 as on a 200-example validation split (plateaus, exactly flat near vertices).
 * Both objectives are min–max normalized over the members, as the engine does, and maximized;
 * HV is measured against the worst member on each objective, [0, 0], and reported as a fraction
 * of the attainable HV (the front of 20,000 uniform simplex points plus the two known optima),
 * so seeds with different member spreads are comparable.
 * The members are free observations (as in stage 3), then B evaluations: INITIAL Sobol points
 * and BO steps (Sobol: B Sobol points). Also reported: evaluations within 1e-3 (max-norm on
 * weights) of an earlier evaluation or a member ("repeats": a model evaluated twice), and the
 * best accuracy found against the known optimum's.
 */
import { hypervolume } from '../src/bo/hypervolume';
import { BayesOptimizer, type OptimizerOptions } from '../src/bo/optimizer';
import { Random } from '../src/bo/random';

const SEEDS = Number(process.env.BO_BENCH_SEEDS ?? 10);
const K = 6;
const D = 8;
const B = 20;
const INITIAL = 5;
const VALIDATION_SIZE = 200;

function fusionProblem(seed: number) {
  const rng = new Random(1000 + seed);
  const members = Array.from({ length: K }, (_, k) =>
    Array.from({ length: D }, (_, i) => Math.sin(0.6 * k + i) + 0.4 * rng.normal()),
  );
  const mix = (w: number[]) =>
    Array.from({ length: D }, (_, i) => w.reduce((s, wk, k) => s + wk * members[k]![i]!, 0));
  const lossTarget = mix([0, 0.5, 0, 0.3, 0.2, 0]);
  const metricTarget = mix([0, 0.6, 0, 0.4, 0, 0]);
  const d2 = (a: number[], b: number[]) => a.reduce((s, v, i) => s + (v - b[i]!) ** 2, 0);
  const raw = (w: number[]) => {
    const theta = mix(w);
    const accuracy = 1 / (1 + Math.exp(4 * d2(theta, metricTarget) - 3));
    return {
      loss: 0.3 + d2(theta, lossTarget),
      accuracy: Math.round(accuracy * VALIDATION_SIZE) / VALIDATION_SIZE,
    };
  };
  const vertices = Array.from({ length: K }, (_, k) =>
    Array.from({ length: K }, (_, i) => (i === k ? 1 : 0)),
  );
  const atMembers = vertices.map(raw);
  const range = (v: number[]) => ({
    lo: Math.min(...v),
    span: Math.max(...v) - Math.min(...v) || 1,
  });
  const acc = range(atMembers.map((r) => r.accuracy));
  const negLoss = range(atMembers.map((r) => -r.loss));
  const objectives = (w: number[]) => {
    const r = raw(w);
    return [(r.accuracy - acc.lo) / acc.span, (-r.loss - negLoss.lo) / negLoss.span];
  };
  const optima = [
    [0, 0.5, 0, 0.3, 0.2, 0],
    [0, 0.6, 0, 0.4, 0, 0],
  ];
  const dense = Array.from({ length: 20000 }, () => {
    const e = Array.from({ length: K }, () => -Math.log(1 - rng.uniform()));
    const sum = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / sum);
  });
  const attainable = hypervolume([...vertices, ...optima, ...dense].map(objectives), [0, 0]);
  return {
    vertices,
    objectives,
    attainable,
    bestAccuracy: raw(optima[1]!).accuracy,
    accuracy: (w: number[]) => raw(w).accuracy,
  };
}

type Method = 'weights' | 'coordinates' | 'sobol';

function runOnce(method: Method, seed: number) {
  const p = fusionProblem(seed);
  const opts: OptimizerOptions = {
    domain: {
      kind: 'simplex',
      size: K,
      surrogate: method === 'coordinates' ? 'coordinates' : 'weights',
    },
    objectives: 2,
    seed,
    initialDesign: K + (method === 'sobol' ? B : INITIAL),
  };
  const opt = new BayesOptimizer(opts);
  const seen: number[][] = [];
  const ys: number[][] = [];
  for (const w of p.vertices) {
    const y = p.objectives(w);
    opt.observe(opt.fromPoint(w), y);
    seen.push(w);
    ys.push(y);
  }
  let repeats = 0;
  let bestAccuracy = 0;
  const t0 = performance.now();
  for (let i = 0; i < B; i++) {
    const [s] = opt.suggest();
    const w = s!.point;
    if (seen.some((q) => Math.max(...q.map((v, k) => Math.abs(v - w[k]!))) <= 1e-3)) repeats++;
    const y = p.objectives(w);
    opt.observe(s!.x, y);
    seen.push(w);
    ys.push(y);
    bestAccuracy = Math.max(bestAccuracy, p.accuracy(w) / p.bestAccuracy);
  }
  return {
    hv: hypervolume(ys, [0, 0]) / p.attainable,
    repeats,
    bestAccuracy,
    seconds: (performance.now() - t0) / 1000,
  };
}

function quantile(v: number[], q: number): number {
  const s = [...v].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  return s[lo]! + (s[Math.ceil(pos)]! - s[lo]!) * (pos - lo);
}

export async function run(): Promise<void> {
  const methods: [Method, string][] = [
    ['weights', 'GP on weights (default)'],
    ['coordinates', 'GP on stick-breaking coordinates (previous)'],
    ['sobol', 'scrambled Sobol'],
  ];
  const results = new Map<Method, ReturnType<typeof runOnce>[]>();
  for (const [m] of methods) {
    results.set(
      m,
      Array.from({ length: SEEDS }, (_, s) => runOnce(m, s)),
    );
  }
  console.log(
    `K = ${K} members (free observations), then B = ${B} evaluations (${INITIAL} Sobol + ${B - INITIAL} BO; Sobol: ${B}); ${SEEDS} seeds.\n`,
  );
  console.log(
    '| method | HV / attainable, median (min, IQR, max) | ÷ Sobol median | repeats ≤ 1e-3, total (max per run) | best accuracy ÷ optimum, median | seconds per run, median |',
  );
  console.log('| --- | --- | --- | --- | --- | --- |');
  const sobolMedian = quantile(
    results.get('sobol')!.map((r) => r.hv),
    0.5,
  );
  for (const [m, label] of methods) {
    const rs = results.get(m)!;
    const hv = rs.map((r) => r.hv);
    const f = (v: number) => v.toFixed(3);
    console.log(
      `| ${label} | ${f(quantile(hv, 0.5))} (${f(quantile(hv, 0))}, ${f(quantile(hv, 0.25))}–${f(quantile(hv, 0.75))}, ${f(quantile(hv, 1))}) | ${(quantile(hv, 0.5) / sobolMedian).toFixed(3)} | ${rs.reduce((s, r) => s + r.repeats, 0)} (${Math.max(...rs.map((r) => r.repeats))}) | ${quantile(
        rs.map((r) => r.bestAccuracy),
        0.5,
      ).toFixed(3)} | ${quantile(
        rs.map((r) => r.seconds),
        0.5,
      ).toFixed(1)} |`,
    );
  }
}
