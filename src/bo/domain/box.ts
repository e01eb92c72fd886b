/**
 * Box domain of named parameters: continuous, log-scaled and integer.
 *
 * Each parameter uses one unit-cube coordinate, normalized from the SEARCH bounds (never the data):
 * - float: v = low + x·(high − low);
 * - log: log v is linear in x (low > 0 required);
 * - int: the interval is padded by ±½ (Optuna's convention) so every integer gets equal mass,
 *   then rounded; log-scaled ints are padded in log space, [log(low − ½), log(high + ½)].
 */
import { clamp01, type UnitCubeDomain } from './types';

export type ParamSpec = {
  name: string;
  type: 'float' | 'int';
  low: number;
  high: number;
  log?: boolean;
};

interface Scale {
  lo: number;
  hi: number;
  log: boolean;
}

function scaleOf(p: ParamSpec, index: number): Scale {
  const where = `box domain: parameter ${index} ('${p.name}')`;
  if (!Number.isFinite(p.low) || !Number.isFinite(p.high))
    throw new Error(`${where}: low and high must be finite`);
  if (!(p.high >= p.low)) throw new Error(`${where}: high (${p.high}) must be ≥ low (${p.low})`);
  if (p.type !== 'float' && p.type !== 'int')
    throw new Error(`${where}: type must be 'float' or 'int'`);
  if (p.type === 'int' && (!Number.isInteger(p.low) || !Number.isInteger(p.high))) {
    throw new Error(`${where}: integer bounds must be integers`);
  }
  const pad = p.type === 'int' ? 0.5 : 0;
  if (p.log) {
    if (p.low - pad <= 0) throw new Error(`${where}: log scale needs low > ${pad}`);
    return { lo: Math.log(p.low - pad), hi: Math.log(p.high + pad), log: true };
  }
  return { lo: p.low - pad, hi: p.high + pad, log: false };
}

export class BoxDomain implements UnitCubeDomain {
  readonly dim: number;
  readonly uniformDim: number;
  private readonly scales: Scale[];

  /** @throws when a parameter has invalid bounds, naming the parameter. */
  constructor(readonly params: readonly ParamSpec[]) {
    if (params.length === 0) throw new Error('box domain: at least one parameter is required');
    this.scales = params.map(scaleOf);
    this.dim = params.length;
    this.uniformDim = params.length;
  }

  toPoint(x: readonly number[]): number[] {
    return this.params.map((p, i) => {
      const s = this.scales[i]!;
      const xi = clamp01(x[i]!);
      // Exact bounds at the faces (exp(log(low)) need not equal low).
      if (p.type === 'float' && xi === 0) return p.low;
      if (p.type === 'float' && xi === 1) return p.high;
      const t = s.lo + xi * (s.hi - s.lo);
      const v = s.log ? Math.exp(t) : t;
      if (p.type === 'int') return Math.min(p.high, Math.max(p.low, Math.round(v)));
      return Math.min(p.high, Math.max(p.low, v));
    });
  }

  fromPoint(point: readonly number[]): number[] {
    return this.params.map((_, i) => {
      const s = this.scales[i]!;
      if (s.hi === s.lo) return 0.5;
      const t = s.log ? Math.log(point[i]!) : point[i]!;
      return clamp01((t - s.lo) / (s.hi - s.lo));
    });
  }

  fromUniform(u: readonly number[]): number[] {
    return u.map(clamp01);
  }
}
