/**
 * `bomf pretrain`: masked-language-model pre-training of a small BERT encoder.
 * The defaults are the recipe of the shipped model `assets/models/bomf-tiny`
 * (see docs/model-card.md), so `bomf pretrain --out <dir>` reproduces it.
 */
import * as path from 'node:path';
import { type Command, Option } from 'commander';
import {
  BACKEND_PREFERENCES,
  type BackendPreference,
  CLASSIFIER_POOLINGS,
  type ClassifierPooling,
  EMBEDDING_INITS,
  type EmbeddingInit,
  initBackend,
  type PretrainOptions,
  pretrainMaskedLM,
} from '../../train';
import { packageRoot } from '../package-root';

/**
 * The recipe of the embedded model (see docs/model-card.md). Its shipped weights were trained
 * with this recipe by the PyTorch replay (bench/pretrain-ablation/), about 7 times faster than
 * the wasm backend on one core; `bomf pretrain` runs the same recipe with its own random draws.
 */
export const BOMF_TINY_RECIPE = {
  // Files are relative to the package folder (packageRoot), whatever the working directory.
  corpus: ['assets/corpus/pretrain-corpus.txt.gz', 'assets/corpus/extra-corpus.txt.gz'],
  // 32,000 word pieces: most words whole, so that they can take their GloVe vectors (round 10).
  vocabSize: 32000,
  hiddenSize: 128,
  numLayers: 2,
  numHeads: 2,
  intermediateSize: 512,
  maxPositions: 512,
  sequenceLength: 128,
  batchSize: 16,
  // 4,000 × 16 sequences (about 1.1 passes over the corpus): with the word embeddings frozen,
  // masked-LM has only the layers to train; 5,000 and 6,000 steps fine-tune TREC better but cost
  // the main job 0.9 and 1.9 points, 10,000 cost SST-2 more (model card, rounds 10 and 11).
  steps: 4000,
  learningRate: 5e-4,
  warmupSteps: 400,
  weightDecay: 0.01,
  maskRate: 0.15,
  maskedLMWeight: 1,
  // Off: in the PyTorch replay it made fine-tuning far worse, with or without masked-LM (model card).
  contrastiveWeight: 0,
  contrastiveBatchSize: 32,
  contrastiveTemperature: 0.05,
  sentenceLength: 32,
  // GloVe 6B 100d cut to the vocabulary's whole words (assets/corpus/build-word-vectors.py),
  // at three times BERT's initial scale (0.02), which fine-tuned better in the replay (round 10),
  // and kept as they are while masked-LM trains the layers.
  embeddingInit: 'word-vectors' as EmbeddingInit,
  wordVectors: 'assets/corpus/glove-6b-100d.txt.gz',
  embeddingStd: 0.06,
  freezeWordEmbeddings: true,
  // [CLS]: mean pooling won the fixed-recipe benches on SST-2 but not the main job (model card, round 4).
  classifierPooling: 'cls' as ClassifierPooling,
  seed: 42,
  checkpointEvery: 100,
  logEvery: 100,
};

interface CliOptions {
  out: string;
  workDir?: string;
  corpus: string[];
  vocabSize: string;
  hiddenSize: string;
  layers: string;
  heads: string;
  intermediateSize: string;
  maxPositions: string;
  seqLength: string;
  batchSize: string;
  steps: string;
  lr: string;
  warmupSteps: string;
  weightDecay: string;
  maskRate: string;
  maskedLmWeight: string;
  contrastiveWeight: string;
  contrastiveBatchSize: string;
  contrastiveTemperature: string;
  sentenceLength: string;
  embeddingInit: EmbeddingInit;
  wordVectors?: string;
  embeddingStd: string;
  freezeWordEmbeddings: boolean;
  classifierPooling: ClassifierPooling;
  seed: string;
  checkpointEvery: string;
  logEvery: string;
  dtype: 'F16' | 'F32';
  backend: BackendPreference;
  json?: boolean;
}

function positive(name: string, value: string, integer = true): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n)))
    throw new Error(
      `--${name} must be a ${integer ? 'non-negative integer' : 'non-negative number'} (got '${value}')`,
    );
  return n;
}

export function pretrainOptionsFromCli(o: CliOptions): PretrainOptions {
  if (o.embeddingInit === 'word-vectors' && o.wordVectors === undefined)
    throw new Error('--embedding-init word-vectors needs --word-vectors <file>');
  return {
    corpusFiles: o.corpus,
    outputDir: o.out,
    workDir: o.workDir ?? `${o.out.replace(/[\\/]+$/, '')}.pretrain-work`,
    vocabSize: positive('vocab-size', o.vocabSize),
    hiddenSize: positive('hidden-size', o.hiddenSize),
    numLayers: positive('layers', o.layers),
    numHeads: positive('heads', o.heads),
    intermediateSize: positive('intermediate-size', o.intermediateSize),
    maxPositions: positive('max-positions', o.maxPositions),
    sequenceLength: positive('seq-length', o.seqLength),
    batchSize: positive('batch-size', o.batchSize),
    steps: positive('steps', o.steps),
    learningRate: positive('lr', o.lr, false),
    warmupSteps: positive('warmup-steps', o.warmupSteps),
    weightDecay: positive('weight-decay', o.weightDecay, false),
    maskRate: positive('mask-rate', o.maskRate, false),
    maskedLMWeight: positive('masked-lm-weight', o.maskedLmWeight, false),
    contrastiveWeight: positive('contrastive-weight', o.contrastiveWeight, false),
    contrastiveBatchSize: positive('contrastive-batch-size', o.contrastiveBatchSize),
    contrastiveTemperature: positive('contrastive-temperature', o.contrastiveTemperature, false),
    sentenceLength: positive('sentence-length', o.sentenceLength),
    embeddingInit: o.embeddingInit,
    ...(o.embeddingInit === 'word-vectors' && { wordVectors: o.wordVectors }),
    embeddingStd: positive('embedding-std', o.embeddingStd, false),
    freezeWordEmbeddings: o.freezeWordEmbeddings,
    classifierPooling: o.classifierPooling,
    seed: positive('seed', o.seed),
    checkpointEvery: Math.max(1, positive('checkpoint-every', o.checkpointEvery)),
    logEvery: Math.max(1, positive('log-every', o.logEvery)),
    outputDtype: o.dtype,
  };
}

export function registerPretrainCommand(program: Command): void {
  const r = BOMF_TINY_RECIPE;
  const inPackage = (file: string) => path.join(packageRoot(), file);
  program
    .command('pretrain')
    .description(
      'pre-train a small BERT encoder with masked language modelling (defaults: the bomf-tiny recipe); resumes from --work-dir',
    )
    .requiredOption(
      '--out <dir>',
      'where to write config.json, model.safetensors, tokenizer.json, vocab.txt',
    )
    .option(
      '--work-dir <dir>',
      'checkpoint, tokenizer and loss log of the run (default: <out>.pretrain-work)',
    )
    .option(
      '--corpus <files...>',
      'text files, one text per line (.gz allowed)',
      r.corpus.map(inPackage),
    )
    .option('--vocab-size <n>', 'WordPiece vocabulary size', String(r.vocabSize))
    .option('--hidden-size <n>', 'hidden size', String(r.hiddenSize))
    .option('--layers <n>', 'transformer layers', String(r.numLayers))
    .option('--heads <n>', 'attention heads', String(r.numHeads))
    .option('--intermediate-size <n>', 'feed-forward size', String(r.intermediateSize))
    .option('--max-positions <n>', 'position embeddings', String(r.maxPositions))
    .option('--seq-length <n>', 'tokens per packed training sequence', String(r.sequenceLength))
    .option('--batch-size <n>', 'sequences per step', String(r.batchSize))
    .option('--steps <n>', 'optimizer steps', String(r.steps))
    .option('--lr <x>', 'peak learning rate', String(r.learningRate))
    .option(
      '--warmup-steps <n>',
      'linear warmup steps (then linear decay to 0)',
      String(r.warmupSteps),
    )
    .option('--weight-decay <x>', 'AdamW decoupled weight decay', String(r.weightDecay))
    .option('--mask-rate <x>', 'fraction of tokens selected for prediction', String(r.maskRate))
    .option(
      '--masked-lm-weight <x>',
      'weight of the masked-LM loss (0 = the contrastive objective alone)',
      String(r.maskedLMWeight),
    )
    .option(
      '--contrastive-weight <x>',
      'weight of the contrastive sentence objective on the pooled [CLS] of single lines (0 = masked-LM only)',
      String(r.contrastiveWeight),
    )
    .option(
      '--contrastive-batch-size <n>',
      'lines per contrastive batch (in-batch negatives)',
      String(r.contrastiveBatchSize),
    )
    .option(
      '--contrastive-temperature <x>',
      'temperature of the contrastive cosine logits',
      String(r.contrastiveTemperature),
    )
    .option(
      '--sentence-length <n>',
      'tokens per contrastive line (longer lines are cut)',
      String(r.sentenceLength),
    )
    .addOption(
      new Option(
        '--embedding-init <kind>',
        'word embeddings start as co-occurrence (PPMI + SVD) vectors of the corpus, as the --word-vectors file completed by them, or random',
      )
        .choices(EMBEDDING_INITS)
        .default(r.embeddingInit),
    )
    .option(
      '--word-vectors <file>',
      'word vectors for --embedding-init word-vectors: text, one "word v1 … vD" line per word (GloVe format; .gz allowed)',
      inPackage(r.wordVectors),
    )
    .option(
      '--embedding-std <x>',
      'root mean square of the initial word-embedding entries (co-occurrence or word vectors; random keeps 0.02)',
      String(r.embeddingStd),
    )
    .option(
      '--freeze-word-embeddings',
      'keep the word embeddings at their start while masked-LM trains the layers',
      r.freezeWordEmbeddings,
    )
    .option('--no-freeze-word-embeddings', 'let masked-LM train the word embeddings too')
    .addOption(
      new Option(
        '--classifier-pooling <kind>',
        "what a classifier fine-tuned from the model reads: the [CLS] token or the mean of the sentence's tokens (config.json's classifier_pooling)",
      )
        .choices(CLASSIFIER_POOLINGS)
        .default(r.classifierPooling),
    )
    .option('--seed <n>', 'seed of every random choice', String(r.seed))
    .option(
      '--checkpoint-every <n>',
      'steps between resumable checkpoints',
      String(r.checkpointEvery),
    )
    .option('--log-every <n>', 'steps averaged per loss-log entry', String(r.logEvery))
    .addOption(
      new Option('--dtype <type>', 'stored dtype of the final weights')
        .choices(['F16', 'F32'])
        .default('F16'),
    )
    .addOption(
      new Option('--backend <name>', 'TF.js backend').choices(BACKEND_PREFERENCES).default('auto'),
    )
    .option('--json', 'print progress as JSON lines')
    .action(async (cli: CliOptions) => {
      const options = pretrainOptionsFromCli(cli);
      const backend = await initBackend(cli.backend);
      if (!cli.json) console.log(`backend: ${backend.name}`);
      let last = 0;
      const result = await pretrainMaskedLM({
        ...options,
        onProgress: (p) => {
          if (cli.json) console.log(JSON.stringify({ type: 'progress', ...p }));
          else if (p.step === p.totalSteps || p.elapsedSeconds - last >= 30) {
            last = p.elapsedSeconds;
            console.log(
              `step ${p.step}/${p.totalSteps} loss ${p.loss.toFixed(4)} lr ${p.learningRate.toExponential(2)} ` +
                `${p.tokensPerSecond.toFixed(0)} tokens/s ${p.elapsedSeconds.toFixed(0)} s`,
            );
          }
        },
      });
      const summary = {
        type: 'done',
        outputDir: options.outputDir,
        steps: result.steps,
        seconds: result.elapsedSeconds,
      };
      console.log(
        cli.json
          ? JSON.stringify(summary)
          : `wrote ${options.outputDir} after ${result.elapsedSeconds.toFixed(0)} s`,
      );
    });
}
