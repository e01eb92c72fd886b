/**
 * Word embeddings from co-occurrence statistics, the starting point of the word
 * embedding table before masked-LM training: the truncated SVD of the positive
 * pointwise mutual information (PPMI) matrix of tokens seen within a few positions
 * of each other, with the context distribution smoothed to the power 0.75 (Levy,
 * Goldberg & Dagan 2015). It costs seconds. The reason: an hour of masked-LM
 * training of a bert-tiny encoder on two CPU cores barely leaves the "predict the
 * unigram frequencies" plateau and leaves the embeddings close to noise, whereas
 * these vectors already put tokens that share contexts near each other — which is
 * what fine-tuning on a few thousand labelled sentences gains from.
 */
import type { PackedSequences } from './packing';
import { type CsrMatrix, randomizedSvd } from './randomized-svd';

export interface CooccurrenceEmbeddingOptions {
  vocabSize: number;
  dimensions: number;
  /** Tokens up to this many positions apart (within one packed sequence) co-occur. */
  window: number;
  /** Ids that neither count nor get vectors from the statistics ([PAD], [CLS], …). */
  skipIds: ReadonlySet<number>;
  /** Standard deviation of the returned table's entries (BERT initialises with 0.02). */
  std: number;
  /** Standard-normal draws: the SVD's test matrix and the rows of unseen tokens. */
  normal: () => number;
}

/** Symmetric co-occurrence counts within `window` as a sparse matrix. */
export function cooccurrenceCounts(
  data: PackedSequences,
  o: Pick<CooccurrenceEmbeddingOptions, 'vocabSize' | 'window' | 'skipIds'>,
): CsrMatrix {
  const v = o.vocabSize;
  // One map per row: a single Map of all pairs would hit V8's 2^24-entry limit on a larger corpus.
  const rows = Array.from({ length: v }, () => new Map<number, number>());
  const add = (a: number, b: number) => {
    const row = rows[a]!;
    row.set(b, (row.get(b) ?? 0) + 1);
  };
  const t = data.length;
  for (let s = 0; s < data.count; s++) {
    const ids = data.inputIds.subarray(s * t, (s + 1) * t);
    for (let i = 0; i < t; i++) {
      const a = ids[i]!;
      if (o.skipIds.has(a)) continue;
      for (let j = i + 1; j <= Math.min(t - 1, i + o.window); j++) {
        const b = ids[j]!;
        if (o.skipIds.has(b)) continue;
        add(a, b);
        add(b, a);
      }
    }
  }
  const rowStart = new Int32Array(v + 1);
  for (let r = 0; r < v; r++) rowStart[r + 1] = rowStart[r]! + rows[r]!.size;
  const colIndex = new Int32Array(rowStart[v]!);
  const values = new Float64Array(rowStart[v]!);
  rows.forEach((row, r) => {
    const cols = Int32Array.from(row.keys()).sort();
    cols.forEach((c, k) => {
      colIndex[rowStart[r]! + k] = c;
      values[rowStart[r]! + k] = row.get(c)!;
    });
  });
  return { rows: v, cols: v, rowStart, colIndex, values };
}

/** max(0, PMI) of a count matrix, with the context marginal raised to `smoothing`. */
export function positivePmi(counts: CsrMatrix, smoothing = 0.75): CsrMatrix {
  const rowSum = new Float64Array(counts.rows);
  const colSum = new Float64Array(counts.cols);
  let total = 0;
  for (let r = 0; r < counts.rows; r++)
    for (let p = counts.rowStart[r]!; p < counts.rowStart[r + 1]!; p++) {
      const c = counts.values[p]!;
      rowSum[r]! += c;
      colSum[counts.colIndex[p]!]! += c;
      total += c;
    }
  let smoothedTotal = 0;
  for (let c = 0; c < counts.cols; c++) smoothedTotal += colSum[c]! ** smoothing;
  const rowStart = new Int32Array(counts.rows + 1);
  const colIndex: number[] = [];
  const values: number[] = [];
  for (let r = 0; r < counts.rows; r++) {
    for (let p = counts.rowStart[r]!; p < counts.rowStart[r + 1]!; p++) {
      const c = counts.colIndex[p]!;
      const pmi = Math.log(
        counts.values[p]! /
          total /
          ((rowSum[r]! / total) * (colSum[c]! ** smoothing / smoothedTotal)),
      );
      if (pmi > 0) {
        colIndex.push(c);
        values.push(pmi);
      }
    }
    rowStart[r + 1] = colIndex.length;
  }
  return {
    rows: counts.rows,
    cols: counts.cols,
    rowStart,
    colIndex: Int32Array.from(colIndex),
    values: Float64Array.from(values),
  };
}

/**
 * The word-embedding table [vocabSize × dimensions] (row-major): U·√Σ of the PPMI
 * matrix's top singular directions, scaled so its entries have standard deviation
 * `std`. Tokens without statistics (skipped ids, tokens absent from the corpus) get
 * independent normal rows of the same scale, as random initialisation would.
 */
export function cooccurrenceEmbeddings(
  data: PackedSequences,
  o: CooccurrenceEmbeddingOptions,
): Float32Array {
  const ppmi = positivePmi(cooccurrenceCounts(data, o));
  const svd = randomizedSvd(ppmi, o.dimensions, { normal: o.normal });
  const d = o.dimensions;
  const table = new Float64Array(o.vocabSize * d);
  const seen = (r: number) => ppmi.rowStart[r + 1]! > ppmi.rowStart[r]!;
  let sumSq = 0;
  let filled = 0;
  for (let r = 0; r < o.vocabSize; r++) {
    if (!seen(r)) continue;
    for (let k = 0; k < d; k++) {
      const x = svd.u[r * d + k]! * Math.sqrt(svd.s[k]!);
      table[r * d + k] = x;
      sumSq += x * x;
    }
    filled += d;
  }
  const scale = filled > 0 && sumSq > 0 ? o.std / Math.sqrt(sumSq / filled) : 0;
  const out = new Float32Array(o.vocabSize * d);
  for (let r = 0; r < o.vocabSize; r++)
    for (let k = 0; k < d; k++)
      out[r * d + k] = seen(r) ? table[r * d + k]! * scale : o.std * o.normal();
  return out;
}
