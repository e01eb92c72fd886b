/**
 * What the PyTorch-fixture tests of training share: a tokenizer that reads token ids written
 * as text (the fixtures' generators frame them as `[CLS] ids [SEP]`), fixture tensors as
 * NamedTensors, and the relative error they are compared by.
 */
import assert from 'node:assert/strict';
import type { NamedTensors } from '../../../src/train/named-tensors';
import type { Tokenizer } from '../../../src/train/tokenizer';

export interface FixtureTensor {
  shape: number[];
  data: number[];
}

export const [CLS, SEP, PAD] = [2, 3, 0];

/** Reads `text` (and `pair`) as space-separated token ids, framed as BERT frames them. */
export function idTokenizer(vocabSize: number): Tokenizer {
  return {
    vocabSize,
    padId: PAD,
    clsId: CLS,
    sepId: SEP,
    maskId: -1,
    unkId: -1,
    encode(text: string, pair?: string) {
      const first = [CLS, ...text.split(' ').map(Number), SEP];
      const second = pair === undefined ? [] : [...pair.split(' ').map(Number), SEP];
      return {
        inputIds: [...first, ...second],
        tokenTypeIds: [...first.map(() => 0), ...second.map(() => 1)],
      };
    },
    tokenize: () => assert.fail('not used by fineTune'),
    idToToken: () => assert.fail('not used by fineTune'),
    tokenToId: () => assert.fail('not used by fineTune'),
    save: () => assert.fail('not used by fineTune'),
  } as unknown as Tokenizer;
}

export function namedTensors(tensors: Record<string, FixtureTensor>): NamedTensors {
  return new Map(
    Object.entries(tensors).map(([n, t]) => [
      n,
      { shape: t.shape, data: Float32Array.from(t.data) },
    ]),
  );
}

/** Largest |actual − expected| / max(1, |expected|). */
export function maxError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  assert.equal(actual.length, expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i] as number;
    worst = Math.max(worst, Math.abs((actual[i] as number) - e) / Math.max(1, Math.abs(e)));
  }
  return worst;
}

/** Each expected gradient against `grads` (tf.variableGrads' map, keyed by TF.js variable name). */
export function assertGradients(
  grads: Record<string, { dataSync(): ArrayLike<number> }>,
  variables: ReadonlyMap<string, { name: string }>,
  expected: Record<string, FixtureTensor>,
): void {
  for (const [n, t] of Object.entries(expected)) {
    const err = maxError(grads[variables.get(n)!.name]!.dataSync(), t.data);
    assert.ok(err < 1e-4, `gradient of ${n} differs by ${err}`);
  }
}

/** Every weight after training against PyTorch's; `init` and `learningRate` for the key biases. */
export function assertFinalWeights(
  weights: NamedTensors,
  expected: Record<string, FixtureTensor>,
  init: Record<string, FixtureTensor>,
  learningRate: number,
): void {
  for (const [n, t] of Object.entries(expected)) {
    const actual = weights.get(n)!.data;
    if (n.endsWith('attention.self.key.bias')) {
      // Its gradient is zero in exact arithmetic (softmax ignores a shift shared by a row's
      // scores), so both sides step on rounding noise, which Adam normalises to up to lr
      // per step: only that bound is comparable.
      const start = (init[n] as FixtureTensor).data;
      const bound = 5 * learningRate;
      assert.ok(maxError(actual, start) <= bound && maxError(t.data, start) <= bound, n);
      continue;
    }
    const err = maxError(actual, t.data);
    assert.ok(err < 1e-4, `${n} differs by ${err} after five steps`);
  }
}
