/**
 * BERT's masked-language-model corruption: each maskable token is selected with
 * probability `rate` (15%); a selected token becomes [MASK] 80% of the time, a
 * random token 10% and stays unchanged 10%. The loss is taken at selected
 * positions only.
 */

export interface MaskedBatch {
  /** Corrupted ids, int32 [B·T]. */
  inputIds: Int32Array;
  /** Flat indices (b·T + j) of the selected positions, ascending. */
  positions: Int32Array;
  /** Original ids at those positions. */
  labels: Int32Array;
}

export interface MaskingOptions {
  rate: number;
  maskId: number;
  vocabSize: number;
  /** Ids never selected ([CLS], [SEP], [PAD], …). */
  specialIds: ReadonlySet<number>;
  /** Random replacements are drawn from ids ≥ this (skips the special tokens at the start). */
  firstRegularId: number;
  random: () => number;
}

export function maskTokens(ids: Int32Array, o: MaskingOptions): MaskedBatch {
  const inputIds = Int32Array.from(ids);
  const positions: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as number;
    if (o.specialIds.has(id) || o.random() >= o.rate) continue;
    positions.push(i);
    labels.push(id);
    const r = o.random();
    if (r < 0.8) inputIds[i] = o.maskId;
    else if (r < 0.9)
      inputIds[i] = o.firstRegularId + Math.floor(o.random() * (o.vocabSize - o.firstRegularId));
  }
  // A batch with no selected token would give an empty loss: take the first maskable one.
  if (positions.length === 0) {
    const i = ids.findIndex((id) => !o.specialIds.has(id));
    if (i >= 0) {
      positions.push(i);
      labels.push(ids[i] as number);
      inputIds[i] = o.maskId;
    }
  }
  return { inputIds, positions: Int32Array.from(positions), labels: Int32Array.from(labels) };
}
