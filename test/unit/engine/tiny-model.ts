/**
 * A tiny random-weight encoder saved as a model folder, for end-to-end runs of
 * the real TF.js lab in tests (the embedded model would be slower and is not
 * what those tests are about).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EncoderClassifier } from '../../../src/train/model';
import { savePretrainedEncoder } from '../../../src/train/model/pretrained';
import { trainWordPiece } from '../../../src/train/tokenizer';

export function writeTinyModel(dir: string, corpusFile: string): string {
  const texts = fs.readFileSync(corpusFile, 'utf8').split('\n').slice(0, 2000);
  const tokenizer = trainWordPiece(texts, { vocabSize: 600, lowercase: true });
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
  fs.mkdirSync(dir, { recursive: true });
  savePretrainedEncoder(dir, model, tokenizer);
  model.dispose();
  return path.resolve(dir);
}
