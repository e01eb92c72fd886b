/**
 * Tokenization, once per example: a training run revisits every example each epoch
 * and the fusion stage evaluates the same validation set dozens of times, so encoded
 * examples are memoised per (tokenizer, examples array, maxLength).
 */
import type { Example } from '../data';
import type { Tokenizer } from '../tokenizer';
import type { EncodedExample } from './batching';

const cache = new WeakMap<Tokenizer, WeakMap<readonly Example[], Map<number, EncodedExample[]>>>();

/**
 * Encodes (and truncates to `maxLength` tokens) every example, reusing an earlier
 * result for the same tokenizer, array and length. Arrays must not be mutated after
 * their first use (the cache is keyed by identity).
 */
export function encodeExamples(
  tokenizer: Tokenizer,
  examples: readonly Example[],
  maxLength: number,
): EncodedExample[] {
  let byArray = cache.get(tokenizer);
  if (byArray === undefined) {
    byArray = new WeakMap();
    cache.set(tokenizer, byArray);
  }
  let byLength = byArray.get(examples);
  if (byLength === undefined) {
    byLength = new Map();
    byArray.set(examples, byLength);
  }
  let encoded = byLength.get(maxLength);
  if (encoded === undefined) {
    encoded = examples.map((ex) => encodeOne(tokenizer, ex, maxLength));
    byLength.set(maxLength, encoded);
  }
  return encoded;
}

function encodeOne(tokenizer: Tokenizer, ex: Example, maxLength: number): EncodedExample {
  const enc = tokenizer.encode(ex.text, ex.pair, maxLength);
  // The tokenizer truncates already; the slice guards against one that does not.
  return {
    inputIds: Int32Array.from(enc.inputIds.slice(0, maxLength)),
    tokenTypeIds: Int32Array.from(enc.tokenTypeIds.slice(0, maxLength)),
  };
}

/** Token counts of encoded examples. */
export function lengthsOf(encoded: readonly EncodedExample[]): Int32Array {
  return Int32Array.from(encoded, (e) => e.inputIds.length);
}
