/**
 * Tokenization, once per example: a training run revisits every example each epoch
 * and the fusion stage evaluates the same validation set dozens of times, so encoded
 * examples are memoised per (tokenizer, examples array, maxLength, pair encoding).
 */
import type { Example } from '../data';
import type { PairEncoding } from '../model';
import type { Tokenizer } from '../tokenizer';
import type { EncodedExample, EncodedSequence } from './batching';

const cache = new WeakMap<Tokenizer, WeakMap<readonly Example[], Map<string, EncodedExample[]>>>();

/**
 * Encodes (and truncates to `maxLength` tokens) every example, reusing an earlier
 * result for the same tokenizer, array, length and pair encoding. Arrays must not be
 * mutated after their first use (the cache is keyed by identity).
 * `cross` puts a pair in one sequence `[CLS] A [SEP] B [SEP]` within `maxLength`; `bi`
 * encodes `[CLS] A [SEP]` and `[CLS] B [SEP]` as two sequences, each within `maxLength`
 * (they run through the encoder as separate rows, so each has the whole budget).
 */
export function encodeExamples(
  tokenizer: Tokenizer,
  examples: readonly Example[],
  maxLength: number,
  pairEncoding: PairEncoding = 'cross',
): EncodedExample[] {
  let byArray = cache.get(tokenizer);
  if (byArray === undefined) {
    byArray = new WeakMap();
    cache.set(tokenizer, byArray);
  }
  let byForm = byArray.get(examples);
  if (byForm === undefined) {
    byForm = new Map();
    byArray.set(examples, byForm);
  }
  const key = `${maxLength} ${pairEncoding}`;
  let encoded = byForm.get(key);
  if (encoded === undefined) {
    encoded = examples.map((ex, i) =>
      pairEncoding === 'bi'
        ? encodeApart(tokenizer, ex, i, maxLength)
        : encodeOne(tokenizer, ex.text, ex.pair, maxLength),
    );
    byForm.set(key, encoded);
  }
  return encoded;
}

function encodeOne(
  tokenizer: Tokenizer,
  text: string,
  pair: string | undefined,
  maxLength: number,
): EncodedSequence {
  const enc = tokenizer.encode(text, pair, maxLength);
  // The tokenizer truncates already; the slice guards against one that does not.
  return {
    inputIds: Int32Array.from(enc.inputIds.slice(0, maxLength)),
    tokenTypeIds: Int32Array.from(enc.tokenTypeIds.slice(0, maxLength)),
  };
}

function encodeApart(
  tokenizer: Tokenizer,
  ex: Example,
  index: number,
  maxLength: number,
): EncodedExample {
  if (ex.pair === undefined)
    throw new Error(
      `pair encoding 'bi' needs two sentences per example; example ${index + 1} has no second text`,
    );
  return {
    ...encodeOne(tokenizer, ex.text, undefined, maxLength),
    second: encodeOne(tokenizer, ex.pair, undefined, maxLength),
  };
}

/** Token counts of encoded examples (a bi pair: its longer sentence, which sets its padding). */
export function lengthsOf(encoded: readonly EncodedExample[]): Int32Array {
  return Int32Array.from(encoded, (e) =>
    Math.max(e.inputIds.length, e.second?.inputIds.length ?? 0),
  );
}
