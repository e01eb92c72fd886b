/**
 * The WebAssembly SIMD kernels compiled from this folder's C sources (simd-wasm.ts): one
 * instance with its own memory. A call copies its inputs in and its outputs out, which
 * costs far less than the computation it moves off TF.js's scalar loops or JavaScript.
 */
import { SIMD_WASM_BASE64 } from './simd-wasm';

/** The C functions (pointers are byte offsets into the instance's memory). */
export interface SimdExports {
  memory: WebAssembly.Memory;
  __heap_base: WebAssembly.Global;
  attention_scratch_floats(t: number, d: number): number;
  // biome-ignore format: mirrors the C signature
  attention_forward(q: number, k: number, v: number, bias: number, context: number, probs: number, scratch: number,
    b: number, t: number, heads: number, d: number, scale: number, rate: number, seed: number): void;
  // biome-ignore format: mirrors the C signature
  attention_backward(dcontext: number, q: number, k: number, v: number, probs: number, dq: number, dk: number,
    dv: number, scratch: number, b: number, t: number, heads: number, d: number, scale: number, rate: number,
    seed: number): void;
  dropout_forward(x: number, y: number, n: number, seed: number, rate: number): void;
  gelu_forward(x: number, y: number, dydx: number, n: number): void;
  // biome-ignore format: mirrors the C signature
  layer_norm_forward(x: number, gamma: number, beta: number, y: number, mean: number, rstd: number, rows: number,
    h: number, eps: number): void;
  // biome-ignore format: mirrors the C signature
  layer_norm_backward(dy: number, x: number, gamma: number, mean: number, rstd: number, dx: number, dgamma: number,
    dbeta: number, rows: number, h: number): void;
  transpose_2d(src: number, dst: number, rows: number, cols: number): void;
}

let instance: SimdExports | undefined;

/** The instance, compiled and instantiated on first use (synchronously: the module is small). */
export function simd(): SimdExports {
  if (instance === undefined) {
    const module = new WebAssembly.Module(Buffer.from(SIMD_WASM_BASE64, 'base64'));
    instance = new WebAssembly.Instance(module, {}).exports as unknown as SimdExports;
  }
  return instance;
}

/**
 * Lays out float32 buffers of the given lengths after the heap base (16-byte aligned),
 * growing the memory to fit, and returns their byte offsets. Every call reuses the same
 * region: buffers live only until the next call.
 */
function allocate(w: SimdExports, lengths: number[]): number[] {
  let at = Math.ceil((w.__heap_base.value as number) / 16) * 16;
  const offsets = lengths.map((n) => {
    const o = at;
    at += Math.ceil(n / 4) * 16;
    return o;
  });
  const missing = at - w.memory.buffer.byteLength;
  if (missing > 0) w.memory.grow(Math.ceil(missing / 65536));
  return offsets;
}

/**
 * Copies `inputs` into the instance's memory, runs `fn` with the byte offsets of the
 * inputs, then of the outputs, then of `scratchFloats` floats of scratch, and copies the
 * outputs back into `outputs`.
 */
export function callSimd(
  inputs: Float32Array[],
  outputs: Float32Array[],
  scratchFloats: number,
  fn: (w: SimdExports, offsets: number[]) => void,
): void {
  const w = simd();
  const arrays = [...inputs, ...outputs];
  const offsets = allocate(w, [...arrays.map((a) => a.length), scratchFloats]);
  for (let i = 0; i < inputs.length; i++)
    new Float32Array(w.memory.buffer, offsets[i], inputs[i]!.length).set(inputs[i]!);
  fn(w, offsets);
  for (let i = inputs.length; i < arrays.length; i++) {
    const out = arrays[i]!;
    out.set(new Float32Array(w.memory.buffer, offsets[i], out.length));
  }
}
