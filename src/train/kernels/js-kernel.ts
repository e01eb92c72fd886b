/**
 * Kernels written in plain JavaScript over typed arrays, registered for the wasm
 * and cpu backends. The wasm backend lacks some kernels training needs, and a few
 * fused operations (layer norm, GELU) are much cheaper as one pass over memory
 * than as the dozen small TF.js ops they would otherwise be composed of.
 */
import * as tf from '@tensorflow/tfjs';

type TypedArray = Float32Array | Int32Array | Uint8Array;

/** An input as the kernel body sees it: a view (wasm) or the stored array (cpu). */
export interface JsInput {
  data: TypedArray;
  shape: number[];
  dtype: tf.DataType;
}

export interface JsOutputSpec {
  shape: number[];
  dtype: 'float32' | 'int32';
}

/**
 * A kernel body: `plan` returns the output shapes from the input shapes/attrs;
 * `compute` writes every element of the outputs from the inputs, or, with
 * `zeroOutputs`, adds into outputs that start at zero.
 */
export interface JsKernel {
  name: string;
  /** The outputs must start zeroed (compute accumulates into them). */
  zeroOutputs?: boolean;
  plan(inputs: JsInput[], attrs: tf.NamedAttrMap): JsOutputSpec[];
  compute(inputs: JsInput[], outputs: TypedArray[], attrs: tf.NamedAttrMap): void;
  /** Input names in the order `runKernel` receives them. */
  inputNames: string[];
}

interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): TypedArray;
  dataIdMap: { get(id: unknown): { shape: number[]; dtype: tf.DataType } | undefined };
}

interface CpuBackendLike {
  data: { get(id: unknown): { values: TypedArray } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: TypedArray): tf.TensorInfo;
}

function wasmKernelFunc(k: JsKernel): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const wasm = backend as unknown as WasmBackendLike;
    const infos = k.inputNames.map((n) => inputs[n] as tf.TensorInfo);
    const shapesOnly = infos.map((t) => ({
      data: new Float32Array(0),
      shape: t.shape,
      dtype: t.dtype,
    }));
    const specs = k.plan(shapesOnly, attrs ?? {});
    // Allocate every output BEFORE taking heap views: an allocation may grow the
    // wasm memory, which detaches views taken earlier.
    const outInfos = specs.map((s) => wasm.makeOutput(s.shape, s.dtype));
    const outArrays = outInfos.map((o) => wasm.typedArrayFromHeap(o));
    // Zeroing costs a pass over memory, so only kernels that accumulate get it.
    if (k.zeroOutputs) for (const a of outArrays) a.fill(0);
    const ins = infos.map((t) => ({
      data: wasm.typedArrayFromHeap(t),
      shape: t.shape,
      dtype: t.dtype,
    }));
    k.compute(ins, outArrays, attrs ?? {});
    return outInfos.length === 1 ? (outInfos[0] as tf.TensorInfo) : outInfos;
  };
}

function cpuKernelFunc(k: JsKernel): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const cpu = backend as unknown as CpuBackendLike;
    const infos = k.inputNames.map((n) => inputs[n] as tf.TensorInfo);
    const ins = infos.map((t) => ({
      data: cpu.data.get(t.dataId).values,
      shape: t.shape,
      dtype: t.dtype,
    }));
    const specs = k.plan(ins, attrs ?? {});
    const outArrays = specs.map((s) => {
      const n = tf.util.sizeFromShape(s.shape);
      return s.dtype === 'int32' ? new Int32Array(n) : new Float32Array(n);
    });
    k.compute(ins, outArrays, attrs ?? {});
    const outInfos = specs.map((s, i) =>
      cpu.makeTensorInfo(s.shape, s.dtype, outArrays[i] as TypedArray),
    );
    return outInfos.length === 1 ? (outInfos[0] as tf.TensorInfo) : outInfos;
  };
}

/**
 * Registers `k` for `backendName` ('wasm' or 'cpu') unless a kernel of that name
 * is already registered there (TF.js's own kernels win).
 */
export function registerJsKernel(k: JsKernel, backendName: 'wasm' | 'cpu'): void {
  if (tf.getKernel(k.name, backendName) !== undefined) return;
  const kernelFunc = backendName === 'wasm' ? wasmKernelFunc(k) : cpuKernelFunc(k);
  tf.registerKernel({ kernelName: k.name, backendName, kernelFunc });
}
