// writeFusedModel (the run's `fused/` export, issue 15 item 4): an earlier export of ours is
// replaced (a resume re-exports after a crash), any other non-empty folder is refused untouched.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { writeFusedModel } from '../../../src/fusion';
import { trainWordPiece } from '../../../src/train/tokenizer';

const tokenizer = trainWordPiece(['a small corpus for a tiny vocabulary', 'of two lines'], {
  vocabSize: 60,
  lowercase: true,
});
const config = {
  modelType: 'bert' as const,
  vocabSize: tokenizer.vocabSize,
  hiddenSize: 4,
  numLayers: 1,
  numHeads: 1,
  intermediateSize: 8,
  maxPositions: 8,
  typeVocabSize: 2,
  layerNormEps: 1e-12,
  hiddenDropout: 0.1,
  attentionDropout: 0.1,
  padTokenId: tokenizer.padId,
};

function exportTo(dir: string, weight: number): Promise<void> {
  return writeFusedModel(dir, {
    weights: new Map([
      ['classifier.weight', { shape: [2, 4], data: new Float32Array(8).fill(weight) }],
    ]),
    config,
    numLabels: 2,
    tokenizer,
    members: ['a.safetensors', 'b.safetensors'],
    fusionWeights: [weight, 1 - weight],
  });
}

const record = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'fusion.json'), 'utf8'));

// Catches: rmSync of whatever --out names (the bug), and a refusal that would break resume.
test('an earlier fused export is replaced; a folder of other files is refused untouched', async () => {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-export-'));
  const fused = path.join(parent, 'fused');
  await exportTo(fused, 0.25);
  await exportTo(fused, 0.75);
  assert.deepEqual(record(fused).weights, [0.75, 0.25]);
  assert.deepEqual(fs.readdirSync(parent), ['fused'], 'no staging or set-aside folder is left');

  const foreign = path.join(parent, 'checkpoints');
  fs.mkdirSync(foreign);
  fs.writeFileSync(path.join(foreign, 'ckpt-00.safetensors'), 'keep me');
  await assert.rejects(exportTo(foreign, 0.5), /checkpoints is not empty/);
  assert.deepEqual(fs.readdirSync(foreign), ['ckpt-00.safetensors']);
  assert.deepEqual(fs.readdirSync(parent).sort(), ['checkpoints', 'fused']);
});
