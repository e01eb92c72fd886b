import { BertNormalizer, BertPreTokenizer } from '@huggingface/tokenizers';
import { bertTokenizerJson } from './bert-json';
import { JsonTokenizer } from './json-tokenizer';
import type { Tokenizer } from './types';

export interface WordPieceTrainOptions {
  /** Target vocabulary size, specials included (fewer if the corpus runs out of pairs). */
  vocabSize: number;
  /** Lowercase and strip accents (uncased model). Default true. */
  lowercase?: boolean;
  /** A pair must occur at least this often (counted over the corpus) to be merged. Default 2. */
  minFrequency?: number;
  /** Placed at ids 0.. in this order. Default [PAD], [UNK], [CLS], [SEP], [MASK]. */
  specialTokens?: string[];
}

const DEFAULT_SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
const PREFIX = '##';
/** Pair keys pack two symbol ids into one number; symbol ids stay far below this. */
const KEY_BASE = 2 ** 24;

/**
 * Learns a WordPiece vocabulary from raw texts with the same normalisation and pre-tokenisation
 * the resulting tokenizer applies. Words start as characters (non-initial ones spelled `##c`);
 * the most frequent adjacent pair is merged repeatedly (frequency-based, as the Hugging Face
 * WordPiece trainer does) until the vocabulary reaches `vocabSize`. Ties break by first appearance,
 * so training is deterministic. Every character seen is kept in both its initial and `##` form.
 */
export function trainWordPiece(texts: Iterable<string>, opts: WordPieceTrainOptions): Tokenizer {
  const lowercase = opts.lowercase ?? true;
  const minFrequency = opts.minFrequency ?? 2;
  const specials = opts.specialTokens ?? DEFAULT_SPECIALS;
  const normalizer = new BertNormalizer({
    type: 'BertNormalizer',
    clean_text: true,
    handle_chinese_chars: true,
    strip_accents: null,
    lowercase,
  } as never);
  const preTokenizer = new BertPreTokenizer();

  const wordCounts = new Map<string, number>();
  for (const text of texts) {
    for (const word of preTokenizer.pre_tokenize_text(normalizer.normalize(text))) {
      wordCounts.set(word, (wordCounts.get(word) ?? 0) + 1);
    }
  }

  const symbols: string[] = [];
  const symbolIds = new Map<string, number>();
  const intern = (s: string) => {
    let id = symbolIds.get(s);
    if (id === undefined) {
      id = symbols.length;
      symbols.push(s);
      symbolIds.set(s, id);
    }
    return id;
  };
  const alphabet = new Set<string>();
  for (const word of wordCounts.keys()) for (const ch of word) alphabet.add(ch);
  for (const ch of [...alphabet].sort()) {
    intern(ch);
    intern(PREFIX + ch);
  }
  const words = [...wordCounts].map(([word, count]) => ({
    count,
    syms: [...word].map((ch, i) => symbolIds.get(i === 0 ? ch : PREFIX + ch)!),
  }));

  const merges = new PairMerger(words, minFrequency);
  const budget = opts.vocabSize - specials.length;
  while (symbols.length < budget) {
    const pair = merges.best();
    if (!pair) break;
    const [a, b] = pair;
    const merged = intern(symbols[a] + symbols[b].slice(PREFIX.length));
    merges.apply(a, b, merged);
  }

  const vocab = [...specials, ...symbols.filter((s) => !specials.includes(s))];
  return new JsonTokenizer(bertTokenizerJson(vocab, lowercase), 'trained WordPiece vocabulary');
}

interface Word {
  count: number;
  syms: number[];
}

/**
 * Corpus-wide adjacent-pair counts with incremental updates: applying a merge only revisits the
 * words that contain the pair, and a max-heap with lazy invalidation finds the best pair.
 */
class PairMerger {
  private readonly counts = new Map<number, number>();
  private readonly wordsWith = new Map<number, Set<number>>();
  private readonly heap: [count: number, key: number][] = [];

  constructor(
    private readonly words: Word[],
    private readonly minFrequency: number,
  ) {
    words.forEach((w, i) => {
      this.addPairs(w, i, 1);
    });
    for (const [key, count] of this.counts) this.push(count, key);
  }

  /** The most frequent pair meeting minFrequency, or undefined. */
  best(): [number, number] | undefined {
    while (this.heap.length > 0) {
      const [count, key] = this.pop();
      if (this.counts.get(key) !== count) continue; // stale entry
      if (count < this.minFrequency) return undefined;
      return [Math.floor(key / KEY_BASE), key % KEY_BASE];
    }
    return undefined;
  }

  apply(a: number, b: number, merged: number): void {
    const key = a * KEY_BASE + b;
    const touched = new Set<number>();
    for (const i of this.wordsWith.get(key) ?? []) {
      const word = this.words[i];
      this.addPairs(word, i, -1, touched);
      const out: number[] = [];
      for (let j = 0; j < word.syms.length; j++) {
        if (j + 1 < word.syms.length && word.syms[j] === a && word.syms[j + 1] === b) {
          out.push(merged);
          j++;
        } else {
          out.push(word.syms[j]);
        }
      }
      word.syms = out;
      this.addPairs(word, i, 1, touched);
    }
    this.wordsWith.delete(key);
    this.counts.delete(key);
    for (const k of touched) {
      const count = this.counts.get(k);
      if (count) this.push(count, k);
    }
  }

  private addPairs(word: Word, index: number, sign: 1 | -1, touched?: Set<number>): void {
    for (let j = 0; j + 1 < word.syms.length; j++) {
      const key = word.syms[j] * KEY_BASE + word.syms[j + 1];
      const count = (this.counts.get(key) ?? 0) + sign * word.count;
      if (count > 0) this.counts.set(key, count);
      else this.counts.delete(key);
      if (sign > 0) {
        const set = this.wordsWith.get(key);
        if (set) set.add(index);
        else this.wordsWith.set(key, new Set([index]));
      }
      touched?.add(key);
    }
  }

  // Binary max-heap on (count, then smaller key first for deterministic ties).
  private before(x: [number, number], y: [number, number]): boolean {
    return x[0] > y[0] || (x[0] === y[0] && x[1] < y[1]);
  }

  private push(count: number, key: number): void {
    const h = this.heap;
    h.push([count, key]);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(h[i], h[parent])) break;
      [h[i], h[parent]] = [h[parent], h[i]];
      i = parent;
    }
  }

  private pop(): [number, number] {
    const h = this.heap;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.before(h[l], h[m])) m = l;
        if (r < h.length && this.before(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}
