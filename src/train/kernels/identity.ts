/**
 * A zero-copy `Identity` for the wasm backend. TF.js clones every tensor a gradient keeps
 * for the backward pass (`keep(clone(x))`), and wasm's own Identity copies the data, a
 * full pass over memory per saved tensor (about a tenth of a training step of the
 * encoder). TF.js tensors are immutable (a variable's assign swaps its data id), so the
 * clone can share the data, counted by reference, as the cpu backend's Identity and
 * wasm's own Reshape do.
 */
import * as tf from '@tensorflow/tfjs';

interface RefCountingBackend {
  incRef(dataId: unknown): void;
}

const zeroCopyIdentity: tf.KernelFunc = ({ inputs, backend }) => {
  const x = inputs.x as tf.TensorInfo;
  (backend as unknown as RefCountingBackend).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
};

/** Replaces wasm's copying Identity (idempotent; a no-op until the wasm backend is loaded). */
export function registerZeroCopyIdentity(): void {
  const current = tf.getKernel('Identity', 'wasm');
  if (current === undefined || current.kernelFunc === zeroCopyIdentity) return;
  tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({ kernelName: 'Identity', backendName: 'wasm', kernelFunc: zeroCopyIdentity });
}
