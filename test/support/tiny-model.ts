/**
 * A tiny random-weight encoder without a classification head, saved as a model
 * folder: every task (2 classes, 6 classes, regression) gets a fresh head, as
 * with the embedded model. For end-to-end tests of the real TF.js lab, which
 * the embedded model would only slow down.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EncoderClassifier } from '../../src/train/model';
import { savePretrainedEncoder } from '../../src/train/model/pretrained';
import { trainWordPiece } from '../../src/train/tokenizer';

export function writeTinyEncoder(dir: string, corpusFiles: string[]): string {
  const texts = corpusFiles.flatMap((f) => fs.readFileSync(f, 'utf8').split('\n').slice(0, 1500));
  const tokenizer = trainWordPiece(texts, { vocabSize: 800, lowercase: true });
  const model = new EncoderClassifier(
    {
      modelType: 'bert',
      vocabSize: tokenizer.vocabSize,
      hiddenSize: 32,
      numLayers: 2,
      numHeads: 2,
      intermediateSize: 64,
      maxPositions: 64,
      typeVocabSize: 2,
      layerNormEps: 1e-12,
      hiddenDropout: 0.1,
      attentionDropout: 0.1,
      padTokenId: tokenizer.padId,
    },
    { numLabels: 2 },
    7,
  );
  const encoder = new Map(
    [...model.getWeights()].filter(([name]) => !name.startsWith('classifier')),
  );
  fs.mkdirSync(dir, { recursive: true });
  savePretrainedEncoder(dir, { config: model.config, getWeights: () => encoder }, tokenizer, {
    headless: true,
  });
  model.dispose();
  return path.resolve(dir);
}
