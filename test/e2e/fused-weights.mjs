// Checks a fused model folder against the run's event log: its weights must be Σ wₖθₖ of the
// run's collected checkpoints θₖ with the chosen weights wₖ of the log's `selection`, tensor by
// tensor, within what the stored precision allows. Reads safetensors itself (header + raw data).
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Tolerance per stored dtype: a few units in the last place of the fused value. */
const TOLERANCE = {
  F32: { abs: 1e-6, rel: 1e-5 },
  F16: { abs: 1e-4, rel: 2e-3 },
  BF16: { abs: 1e-3, rel: 1.6e-2 },
};

function halfToFloat(h) {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** name → { dtype, shape, values (Float64Array) } of a .safetensors file. */
export function readSafetensors(file) {
  const bytes = fs.readFileSync(file);
  const headerLength = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8'));
  const base = 8 + headerLength;
  const tensors = new Map();
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const [start, end] = info.data_offsets;
    const raw = bytes.subarray(base + start, base + end);
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    let values;
    if (info.dtype === 'F32') {
      values = Float64Array.from({ length: raw.length / 4 }, (_, i) =>
        view.getFloat32(i * 4, true),
      );
    } else if (info.dtype === 'F16') {
      values = Float64Array.from({ length: raw.length / 2 }, (_, i) =>
        halfToFloat(view.getUint16(i * 2, true)),
      );
    } else if (info.dtype === 'BF16') {
      const word = new DataView(new ArrayBuffer(4));
      values = Float64Array.from({ length: raw.length / 2 }, (_, i) => {
        word.setUint32(0, view.getUint16(i * 2, true) << 16);
        return word.getFloat32(0);
      });
    } else {
      throw new Error(
        `${file}: tensor ${name} has dtype ${info.dtype}, not a float the check reads`,
      );
    }
    tensors.set(name, { dtype: info.dtype, shape: info.shape, values });
  }
  return tensors;
}

export function readEvents(runDir) {
  return fs
    .readFileSync(path.join(runDir, 'events.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
}

/**
 * Throws unless `fusedDir/model.safetensors` is the chosen fusion of the run in `runDir`;
 * returns a one-line summary (tensors compared, largest deviation).
 */
export function checkFusedWeights(runDir, fusedDir) {
  const events = readEvents(runDir);
  const selection = events.filter((e) => e.type === 'selection').at(-1);
  if (!selection) throw new Error(`${runDir}: the event log has no selection`);
  // A checkpoint written again on resume replaces the first: the last event per index counts.
  const checkpoints = new Map();
  for (const e of events) if (e.type === 'checkpoint') checkpoints.set(e.index, e);
  const members = [...checkpoints.values()].sort((a, b) => a.index - b.index);
  const weights = selection.weights;
  if (weights.length !== members.length)
    throw new Error(`${weights.length} chosen weights for ${members.length} checkpoints`);

  const record = JSON.parse(fs.readFileSync(path.join(fusedDir, 'fusion.json'), 'utf8'));
  // An export normalizes the weights it is given to sum 1: equal up to rounding.
  const sameWeights =
    record.weights.length === weights.length &&
    record.weights.every((w, k) => Math.abs(w - weights[k]) <= 1e-9);
  if (!sameWeights)
    throw new Error(
      `${fusedDir}/fusion.json has weights ${record.weights}, the chosen fusion ${weights}`,
    );

  const fused = readSafetensors(path.join(fusedDir, 'model.safetensors'));
  const thetas = members.map((m) => readSafetensors(path.join(runDir, m.file)));
  const names = [...thetas[0].keys()].sort();
  if ([...fused.keys()].sort().join() !== names.join())
    throw new Error(`the fused model's tensors differ from the checkpoints' (${fusedDir})`);
  let worst = { excess: 0, deviation: 0, name: '' };
  for (const name of names) {
    const out = fused.get(name);
    const tolerance = TOLERANCE[out.dtype];
    const parts = thetas.map((t) => t.get(name));
    if (parts.some((p) => p.shape.join() !== out.shape.join()))
      throw new Error(`${name}: shape ${out.shape} differs from a checkpoint's`);
    for (let i = 0; i < out.values.length; i++) {
      let expected = 0;
      for (let k = 0; k < parts.length; k++) expected += weights[k] * parts[k].values[i];
      const deviation = Math.abs(out.values[i] - expected);
      const allowed = tolerance.abs + tolerance.rel * Math.abs(expected);
      if (!(deviation <= allowed))
        throw new Error(
          `${name}[${i}] = ${out.values[i]}, Σ wₖθₖ = ${expected} (${out.dtype}, off by ${deviation})`,
        );
      if (deviation / allowed > worst.excess)
        worst = { excess: deviation / allowed, deviation, name };
    }
  }
  return `${names.length} tensors = Σ wₖθₖ with w = [${weights.map((w) => w.toFixed(3))}] (largest deviation ${worst.deviation.toExponential(1)} in ${worst.name || '–'})`;
}
