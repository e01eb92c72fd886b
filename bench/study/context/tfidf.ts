/**
 * TF-IDF features as scikit-learn's TfidfVectorizer computes them with
 * `ngram_range=(1, 2), sublinear_tf=True` (the other options at their defaults):
 * lowercase; tokens of two or more word characters; idf = ln((1+n)/(1+df)) + 1
 * (smoothed); tf = 1 + ln(count); rows L2-normalized. The context row of the
 * study: what a practitioner gets in seconds, no pre-training.
 */

/** A sparse row: feature indices (ascending) and their values. */
export interface SparseRow {
  indices: number[];
  values: number[];
}

const TOKEN = /[\p{L}\p{N}_]{2,}/gu;

/** Unigrams and bigrams of a text (bigrams joined by one space, as scikit-learn). */
export function terms(text: string): string[] {
  const tokens = text.toLowerCase().match(TOKEN) ?? [];
  const out = [...tokens];
  for (let i = 0; i + 1 < tokens.length; i++) out.push(`${tokens[i]} ${tokens[i + 1]}`);
  return out;
}

export class TfidfVectorizer {
  private readonly vocabulary = new Map<string, number>();
  private idf: number[] = [];

  /** Number of features (the training vocabulary). */
  get size(): number {
    return this.idf.length;
  }

  /** Learns the vocabulary (sorted, as scikit-learn) and the idf from `texts`. */
  fit(texts: readonly string[]): this {
    const df = new Map<string, number>();
    for (const t of texts)
      for (const term of new Set(terms(t))) df.set(term, (df.get(term) ?? 0) + 1);
    const sorted = [...df.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    this.vocabulary.clear();
    for (const [i, term] of sorted.entries()) this.vocabulary.set(term, i);
    const n = texts.length;
    this.idf = sorted.map((term) => Math.log((1 + n) / (1 + df.get(term)!)) + 1);
    return this;
  }

  /** One L2-normalized TF-IDF row per text; terms outside the vocabulary are dropped. */
  transform(texts: readonly string[]): SparseRow[] {
    return texts.map((t) => {
      const counts = new Map<number, number>();
      for (const term of terms(t)) {
        const j = this.vocabulary.get(term);
        if (j !== undefined) counts.set(j, (counts.get(j) ?? 0) + 1);
      }
      const indices = [...counts.keys()].sort((a, b) => a - b);
      const values = indices.map((j) => (1 + Math.log(counts.get(j)!)) * this.idf[j]!);
      const norm = Math.hypot(...values);
      return { indices, values: norm > 0 ? values.map((v) => v / norm) : values };
    });
  }
}

/** Dot product of two sparse rows (indices ascending). */
export function sparseDot(a: SparseRow, b: SparseRow): number {
  let s = 0;
  let i = 0;
  let j = 0;
  while (i < a.indices.length && j < b.indices.length) {
    const ai = a.indices[i]!;
    const bj = b.indices[j]!;
    if (ai === bj) s += a.values[i++]! * b.values[j++]!;
    else if (ai < bj) i++;
    else j++;
  }
  return s;
}

/**
 * Features of a sentence pair: the first sentence's row, the second's (shifted
 * by the vocabulary size), and their cosine similarity as one last feature (the
 * rows are unit-norm, so the cosine is their dot product). Without the cosine a
 * linear model on bags of words cannot see overlap, which is what paraphrase and
 * similarity tasks are about.
 */
export function pairRow(a: SparseRow, b: SparseRow, vocabularySize: number): SparseRow {
  return {
    indices: [...a.indices, ...b.indices.map((j) => j + vocabularySize), 2 * vocabularySize],
    values: [...a.values, ...b.values, sparseDot(a, b)],
  };
}
