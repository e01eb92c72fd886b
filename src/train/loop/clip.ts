import * as tf from '@tensorflow/tfjs';

/**
 * Gradient clipping by global norm (as `torch.nn.utils.clip_grad_norm_`): with
 * n = √(Σ‖g‖²), every gradient is scaled by min(1, maxNorm/(n + 1e-6)).
 * Returns new tensors (the inputs are left to the caller) and the pre-clip norm.
 */
export function clipByGlobalNorm(
  grads: ReadonlyMap<string, tf.Tensor>,
  maxNorm: number,
): { grads: Map<string, tf.Tensor>; norm: tf.Scalar } {
  const norm = tf.tidy(() => {
    const squares = [...grads.values()].map((g) => g.square().sum());
    return (squares.length > 0 ? tf.addN(squares) : tf.scalar(0)).sqrt() as tf.Scalar;
  });
  const coef = tf.tidy(() => tf.minimum(1, tf.div(maxNorm, norm.add(1e-6))));
  const clipped = new Map<string, tf.Tensor>();
  for (const [name, g] of grads) clipped.set(name, tf.mul(g, coef));
  coef.dispose();
  return { grads: clipped, norm };
}
