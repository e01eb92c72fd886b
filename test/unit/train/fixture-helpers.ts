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
