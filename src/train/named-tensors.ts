/**
 * A model's weights outside TF.js: name → shape + float32 data. The common currency
 * of safetensors I/O, checkpoint averaging and the model's get/set of weights.
 * Names follow Hugging Face (e.g. `bert.encoder.layer.0.attention.self.query.weight`,
 * linear weights stored [out, in]).
 */
export interface HostTensor {
  shape: number[];
  data: Float32Array;
}

export type NamedTensors = Map<string, HostTensor>;
