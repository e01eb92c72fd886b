// Shared fixtures of the training-loop tests: a tiny tokenizer, a tiny encoder and a
// synthetic sentiment task that a few steps can learn.
import type { Example } from '../../../src/train/data';
import { mixSeed, seededRandom } from '../../../src/train/loop/random';
import { EncoderClassifier, type EncoderConfig } from '../../../src/train/model';
import { type Tokenizer, trainWordPiece } from '../../../src/train/tokenizer';

const POSITIVE = ['good', 'great', 'fine', 'lovely', 'superb'];
const NEGATIVE = ['bad', 'awful', 'poor', 'dull', 'boring'];
const FILLER = ['the', 'movie', 'was', 'quite', 'and', 'plot', 'acting', 'really', 'a', 'film'];

/** n sentences of 2–12 words with exactly one sentiment word; label 1 = positive. */
export function sentimentExamples(n: number, seed: number): Example[] {
  const random = seededRandom(mixSeed(seed, 77));
  const pick = (xs: string[]) => xs[Math.floor(random() * xs.length)]!;
  return Array.from({ length: n }, () => {
    const label = random() < 0.5 ? 1 : 0;
    const words = Array.from({ length: 1 + Math.floor(random() * 11) }, () => pick(FILLER));
    words.splice(Math.floor(random() * words.length), 0, pick(label ? POSITIVE : NEGATIVE));
    return { text: words.join(' '), label };
  });
}

export function tinyTokenizer(): Tokenizer {
  return trainWordPiece([[...POSITIVE, ...NEGATIVE, ...FILLER].join(' ')], {
    vocabSize: 64,
    minFrequency: 1,
  });
}

export function tinyConfig(tokenizer: Tokenizer, numLayers = 2): EncoderConfig {
  return {
    modelType: 'bert',
    vocabSize: tokenizer.vocabSize,
    hiddenSize: 16,
    numLayers,
    numHeads: 2,
    intermediateSize: 32,
    maxPositions: 32,
    typeVocabSize: 2,
    layerNormEps: 1e-12,
    hiddenDropout: 0.1,
    attentionDropout: 0.1,
    padTokenId: tokenizer.padId,
  };
}

export function tinyModel(tokenizer: Tokenizer, numLabels = 2, seed = 3): EncoderClassifier {
  return new EncoderClassifier(tinyConfig(tokenizer), { numLabels }, seed);
}

/** A host copy of every weight, for bit-level comparisons. */
export function snapshot(model: EncoderClassifier): Map<string, Float32Array> {
  return new Map([...model.getWeights()].map(([k, v]) => [k, Float32Array.from(v.data)]));
}

export function sameBits(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  return x.every((v, i) => v === y[i]);
}
