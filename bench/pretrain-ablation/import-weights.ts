/**
 * Turns weights dumped by dump-weights.py (a PyTorch replay of the recipe) into a model
 * folder like `bomf pretrain` writes (config.json, F16 model.safetensors, tokenizer), with
 * the product's own writer. The tokenizer is the one `bomf pretrain` trains on the corpus
 * (the same WordPiece as the shipped model's, checked here against the replay's data).
 *
 *   npx tsx bench/pretrain-ablation/import-weights.ts <weights dir> <export dir> <out dir> [corpus files…] [--vocab-size N]
 *
 * Corpus files and vocabulary size: the ones export.ts was given, if any (else the recipe's).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { BOMF_TINY_RECIPE as r } from '../../src/engine/commands/pretrain';
import { initBackend } from '../../src/train/backend';
import { EncoderForMaskedLM } from '../../src/train/model/mlm';
import { savePretrainedEncoder } from '../../src/train/model/pretrained';
import type { NamedTensors } from '../../src/train/named-tensors';
import { pretrainedEncoderConfig, readCorpusLines } from '../../src/train/pretrain';
import { trainWordPiece } from '../../src/train/tokenizer';

const ROOT = join(__dirname, '..', '..');

/** A file's bytes in an ArrayBuffer of their own (small reads share Node's pool). */
function bytes(file: string): ArrayBuffer {
  const b = readFileSync(file);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
}
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { 'vocab-size': { type: 'string', default: String(r.vocabSize) } },
});
const [weightsDir, exportDir, out, ...corpus] = positionals;
if (out === undefined)
  throw new Error(
    'usage: import-weights.ts <weights dir> <export dir> <out dir> [corpus files…] [--vocab-size N]',
  );

const lines = readCorpusLines(corpus.length > 0 ? corpus : r.corpus.map((f) => join(ROOT, f)));
const tok = trainWordPiece(lines, { vocabSize: Number(values['vocab-size']) });
// The replay trained on export.ts's token ids: they must be this tokenizer's.
const ids = new Int32Array(bytes(join(exportDir, 'line-ids.i32')));
const ours = lines.slice(0, 1000).flatMap((l) => tok.encode(l, undefined, 32).inputIds);
if (ours.some((id, i) => id !== ids[i])) throw new Error('the replay used another tokenizer');

const index = JSON.parse(readFileSync(join(weightsDir, 'index.json'), 'utf8')) as Record<
  string,
  { file: string; shape: number[] }
>;
const weights: NamedTensors = new Map(
  Object.entries(index).map(([name, { file, shape }]) => [
    name,
    { shape, data: new Float32Array(bytes(join(weightsDir, file))) },
  ]),
);
/** The replay's pooled [CLS] vectors of a probe batch must come out of our forward pass too. */
function checkAgainstReplay(model: EncoderForMaskedLM): void {
  const file = join(weightsDir!, 'reference.json');
  if (!existsSync(file) || !model.variables.has('bert.pooler.dense.weight')) return;
  const ref = JSON.parse(readFileSync(file, 'utf8')) as { ids: number[][]; pooled: number[][] };
  const ids = tf.tensor2d(ref.ids, undefined, 'int32');
  const pooled = tf.tidy(() =>
    model.pooled(
      {
        inputIds: ids,
        tokenTypeIds: tf.zerosLike(ids),
        attentionMask: ids.notEqual(0).cast('int32'),
      },
      { training: false },
    ),
  );
  const ours = pooled.arraySync();
  tf.dispose([ids, pooled]);
  const diff = Math.max(
    ...ref.pooled.flatMap((row, i) => row.map((x, j) => Math.abs(x - ours[i]![j]!))),
  );
  if (!(diff < 1e-3)) throw new Error(`our forward pass differs from the replay's by ${diff}`);
  console.log(
    `forward pass matches the replay (max |Δ| ${diff.toExponential(1)} on the probe batch)`,
  );
}

async function main(): Promise<void> {
  await initBackend('wasm');
  // The recipe's shape, but as many layers as the replay trained (ablation.py --layers).
  const numLayers = new Set(
    [...weights.keys()].flatMap((n) => /^bert\.encoder\.layer\.(\d+)\./.exec(n)?.[1] ?? []),
  ).size;
  const config = pretrainedEncoderConfig(tok, { ...r, numLayers });
  const model = new EncoderForMaskedLM(config, r.seed, {
    pooler: weights.has('bert.pooler.dense.weight'),
  });
  // A replay without masked-LM (no head saved) keeps the head's fresh init; the folder is headless anyway.
  model.setWeights(weights, { strict: weights.has('cls.predictions.bias') });
  checkAgainstReplay(model);
  savePretrainedEncoder(out, model, tok, { dtype: 'F16', headless: true });
  model.dispose();
  console.log(`${weights.size} tensors → ${out}`);
}

main();
