/**
 * Input warping of an acquisition: the models live on points p = map(z) (e.g. fusion weights on
 * the simplex) while the optimizer searches z (e.g. a box). Values are the acquisition's at map(z);
 * gradients follow by the chain rule, ∇_z = Jᵀ ∇_p with J = ∂p/∂z.
 */
import type { Acquisition } from './acquisition';

/** A point map with its Jacobian. */
export type PointMap = (z: readonly number[]) => {
  point: number[];
  /** (dim p, dim z) row-major ∂p_i/∂z_k. */
  jacobian: Float64Array;
};

export function warpInputs(acquisition: Acquisition, map: PointMap): Acquisition {
  return {
    valueAndGrad: (z) => {
      const { point, jacobian } = map(z);
      const r = acquisition.valueAndGrad(point);
      const dz = z.length;
      const grad = new Array<number>(dz).fill(0);
      for (let i = 0; i < point.length; i++) {
        const gi = r.grad[i]!;
        if (gi === 0) continue;
        for (let k = 0; k < dz; k++) grad[k]! += gi * jacobian[i * dz + k]!;
      }
      return { value: r.value, grad };
    },
    values: (Z) => acquisition.values(Z.map((z) => map(z).point)),
  };
}
