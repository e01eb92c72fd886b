/**
 * Packs tokenised lines into fixed-length training sequences, so a batch wastes
 * no compute on padding: consecutive lines fill `[CLS] A [SEP] B [SEP]`, where
 * the split between segment A (type 0) and B (type 1) falls on a line boundary
 * chosen at random — that way the token-type embeddings and the pair layout the
 * fine-tuning tasks use are trained too.
 */

export interface PackedSequences {
  /** Sequence length T (every sequence is padded to it). */
  length: number;
  count: number;
  /** int32 [count·T] row-major, likewise the others. */
  inputIds: Int32Array;
  tokenTypeIds: Int32Array;
  attentionMask: Int32Array;
}

export interface PackingOptions {
  length: number;
  clsId: number;
  sepId: number;
  padId: number;
  random: () => number;
}

/** Greedily groups whole lines (a line longer than the budget is cut) into sequences. */
export function packSequences(lines: readonly number[][], o: PackingOptions): PackedSequences {
  const budget = o.length - 3;
  if (budget < 2) throw new Error(`sequence length ${o.length} is too short to pack`);
  const groups: number[][][] = [];
  let current: number[][] = [];
  let used = 0;
  for (const raw of lines) {
    if (raw.length === 0) continue;
    const line = raw.length > budget ? raw.slice(0, budget) : raw;
    if (used + line.length > budget && current.length > 0) {
      groups.push(current);
      current = [];
      used = 0;
    }
    current.push(line);
    used += line.length;
  }
  if (current.length > 0) groups.push(current);

  const t = o.length;
  const inputIds = new Int32Array(groups.length * t).fill(o.padId);
  const tokenTypeIds = new Int32Array(groups.length * t);
  const attentionMask = new Int32Array(groups.length * t);
  groups.forEach((group, g) => {
    // Lines [0, split) form segment A; with a single line there is no segment B.
    const split = group.length < 2 ? group.length : 1 + Math.floor(o.random() * (group.length - 1));
    const row: number[] = [o.clsId];
    const types: number[] = [0];
    group.forEach((line, i) => {
      if (i === split) {
        row.push(o.sepId);
        types.push(0);
      }
      for (const id of line) {
        row.push(id);
        types.push(i < split ? 0 : 1);
      }
    });
    row.push(o.sepId);
    types.push(split < group.length ? 1 : 0);
    const base = g * t;
    for (let j = 0; j < row.length; j++) {
      inputIds[base + j] = row[j] as number;
      tokenTypeIds[base + j] = types[j] as number;
      attentionMask[base + j] = 1;
    }
  });
  return { length: t, count: groups.length, inputIds, tokenTypeIds, attentionMask };
}
