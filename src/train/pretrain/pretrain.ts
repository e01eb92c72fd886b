/**
 * Masked-language-model pre-training of a small BERT encoder from raw text:
 * WordPiece vocabulary trained on the corpus, packed sequences, 15% masking
 * (80/10/10), AdamW with linear warmup then linear decay, gradient clipping.
 * Every random choice derives from (seed, purpose, step), so a run resumed from
 * its last checkpoint continues exactly as an uninterrupted one would.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Random } from '../../bo';
import { AdamW } from '../loop/adamw';
import { mixSeed, seededRandom, shuffleInPlace } from '../loop/random';
import { learningRateAt } from '../loop/schedule';
import type { ClassifierPooling, EncoderConfig } from '../model/config';
import { EncoderForMaskedLM } from '../model/mlm';
import { encoderPrefix } from '../model/params';
import { savePretrainedEncoder } from '../model/pretrained';
import { type Tokenizer, tokenizerFromJsonFile, trainWordPiece } from '../tokenizer';
import { type LossRecord, loadPretrainCheckpoint, savePretrainCheckpoint } from './checkpoint';
import { type SentencePool, sentencePool } from './contrastive';
import { cooccurrenceEmbeddings } from './cooccurrence-embeddings';
import { readCorpusLines } from './corpus';
import { type PackedSequences, packSequences } from './packing';
import { specialIds, trainStep } from './train-step';
import { readWordVectors, wholeWordTokens, wordVectorEmbeddings } from './word-vectors';

export interface PretrainOptions {
  /** Text files (`.gz` allowed), one text per line. */
  corpusFiles: string[];
  /** Where the finished model is written (config.json, model.safetensors, tokenizer). */
  outputDir: string;
  /** Tokenizer, checkpoint and loss log of the run; an existing checkpoint here is resumed. */
  workDir: string;
  vocabSize: number;
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  intermediateSize: number;
  maxPositions: number;
  sequenceLength: number;
  batchSize: number;
  steps: number;
  learningRate: number;
  warmupSteps: number;
  weightDecay: number;
  maskRate: number;
  /** Weight of the masked-LM loss; 0 = the contrastive objective alone. */
  maskedLMWeight: number;
  /**
   * Weight of the contrastive sentence objective on the pooled [CLS] of single lines
   * (see contrastive.ts), added to the masked-LM loss; 0 = masked-LM only, no pooler.
   */
  contrastiveWeight: number;
  /** Lines per contrastive batch (each line's negatives are the others). */
  contrastiveBatchSize: number;
  /** Temperature τ of the contrastive logits cos / τ. */
  contrastiveTemperature: number;
  /** Tokens per contrastive line ([CLS] and [SEP] included; longer lines are cut). */
  sentenceLength: number;
  /**
   * How the word embeddings start: 'cooccurrence' = PPMI + SVD vectors of the packed
   * corpus (see cooccurrence-embeddings.ts), 'word-vectors' = the `wordVectors` file's
   * vectors with the co-occurrence rows for the rest (see word-vectors.ts), 'random' =
   * normal(0, 0.02) like the rest.
   */
  embeddingInit: EmbeddingInit;
  /** Word-vector text file (GloVe format, `.gz` allowed) for `embeddingInit: 'word-vectors'`. */
  wordVectors?: string;
  /** Root mean square of the initial word-embedding entries (BERT's initialisation: 0.02). */
  embeddingStd: number;
  /**
   * Keep the word embeddings (and so the tied masked-LM decoder) at their start: masked-LM
   * then trains the layers to read word vectors instead of overwriting them (round 10).
   */
  freezeWordEmbeddings: boolean;
  /** What a classifier fine-tuned from the model pools (`classifier_pooling` in config.json). */
  classifierPooling: ClassifierPooling;
  seed: number;
  /** Save the resumable checkpoint every this many steps (and at the end). */
  checkpointEvery: number;
  /** Steps averaged into one loss-log entry. */
  logEvery: number;
  /** Stored dtype of the final weights. */
  outputDtype: 'F16' | 'F32';
  onProgress?: (p: PretrainProgress) => void;
}

export const EMBEDDING_INITS = ['cooccurrence', 'word-vectors', 'random'] as const;
export type EmbeddingInit = (typeof EMBEDDING_INITS)[number];

/** Tokens this many positions apart or closer count as co-occurring (word2vec's default 5). */
const COOCCURRENCE_WINDOW = 5;

export interface PretrainProgress {
  step: number;
  totalSteps: number;
  loss: number;
  learningRate: number;
  elapsedSeconds: number;
  tokensPerSecond: number;
}

export interface PretrainResult {
  steps: number;
  losses: LossRecord[];
  elapsedSeconds: number;
  sequences: number;
  corpusLines: number;
  config: EncoderConfig;
}

/** The options that shape the trajectory; a resume with different ones is refused. */
function fingerprint(o: PretrainOptions): string {
  const { outputDir, workDir, onProgress, checkpointEvery, logEvery, outputDtype, ...shape } = o;
  return JSON.stringify(shape);
}

function prepareTokenizer(o: PretrainOptions, lines: string[]): Tokenizer {
  const file = join(o.workDir, 'tokenizer.json');
  if (existsSync(file)) return tokenizerFromJsonFile(file);
  const tok = trainWordPiece(lines, { vocabSize: o.vocabSize });
  tok.save(o.workDir);
  return tok;
}

/** The corpus as `bomf pretrain` trains on it: tokenised lines packed into sequences. */
export function packCorpus(
  tok: Tokenizer,
  lines: string[],
  o: Pick<PretrainOptions, 'sequenceLength' | 'seed'>,
): PackedSequences {
  // encode() adds [CLS] … [SEP]; packing adds its own, so they are stripped here.
  const ids = lines.map((line) =>
    tok.encode(line, undefined, o.sequenceLength).inputIds.slice(1, -1),
  );
  return packSequences(ids, {
    length: o.sequenceLength,
    clsId: tok.clsId,
    sepId: tok.sepId,
    padId: tok.padId,
    random: seededRandom(mixSeed(o.seed, 1)),
  });
}

/** Sequence indices of step `step`: consecutive epochs, each a seeded permutation. */
function batchIndices(
  o: PretrainOptions,
  count: number,
  step: number,
  cache: Map<number, number[]>,
): number[] {
  const out: number[] = [];
  for (let k = step * o.batchSize; k < (step + 1) * o.batchSize; k++) {
    const epoch = Math.floor(k / count);
    let perm = cache.get(epoch);
    if (perm === undefined) {
      perm = shuffleInPlace(
        Array.from({ length: count }, (_, i) => i),
        seededRandom(mixSeed(o.seed, 2, epoch)),
      );
      cache.clear();
      cache.set(epoch, perm);
    }
    out.push(perm[k % count] as number);
  }
  return out;
}

/**
 * The word-embedding table [vocabulary × hidden] a run starts from: co-occurrence vectors, or
 * word vectors completed by them (`embeddingInit`; 'random' leaves the model's own draw).
 */
export function initialWordEmbeddings(
  tok: Tokenizer,
  data: PackedSequences,
  o: Pick<
    PretrainOptions,
    'hiddenSize' | 'seed' | 'embeddingInit' | 'wordVectors' | 'embeddingStd'
  >,
): Float32Array {
  const random = new Random(mixSeed(o.seed, 5));
  const skipIds = specialIds(tok);
  const cooccurrence = cooccurrenceEmbeddings(data, {
    vocabSize: tok.vocabSize,
    dimensions: o.hiddenSize,
    window: COOCCURRENCE_WINDOW,
    skipIds,
    std: o.embeddingStd,
    normal: () => random.normal(),
  });
  if (o.embeddingInit !== 'word-vectors') return cooccurrence;
  if (o.wordVectors === undefined)
    throw new Error("embedding init 'word-vectors' needs a word-vector file");
  return wordVectorTable(tok, cooccurrence, o.wordVectors, o);
}

/** The `file`'s word vectors completed by a co-occurrence table (see word-vectors.ts). */
export function wordVectorTable(
  tok: Tokenizer,
  cooccurrence: Float32Array,
  file: string,
  o: Pick<PretrainOptions, 'hiddenSize' | 'embeddingStd'>,
): Float32Array {
  const skipIds = specialIds(tok);
  const words = readWordVectors(file, wholeWordTokens(tok, skipIds));
  return wordVectorEmbeddings(tok, cooccurrence, words, { ...o, std: o.embeddingStd, skipIds });
}

/** The BERT configuration `bomf pretrain` builds (post-LayerNorm, dropout 0.1). */
export function pretrainedEncoderConfig(
  tok: Tokenizer,
  o: Pick<
    PretrainOptions,
    | 'hiddenSize'
    | 'numLayers'
    | 'numHeads'
    | 'intermediateSize'
    | 'maxPositions'
    | 'classifierPooling'
  >,
): EncoderConfig {
  return {
    modelType: 'bert',
    vocabSize: tok.vocabSize,
    hiddenSize: o.hiddenSize,
    numLayers: o.numLayers,
    numHeads: o.numHeads,
    intermediateSize: o.intermediateSize,
    maxPositions: o.maxPositions,
    typeVocabSize: 2,
    layerNormEps: 1e-12,
    hiddenDropout: 0.1,
    attentionDropout: 0.1,
    padTokenId: tok.padId,
    classifierPooling: o.classifierPooling,
  };
}

/** Runs (or resumes) the pre-training and writes the finished model to `outputDir`. */
export async function pretrainMaskedLM(o: PretrainOptions): Promise<PretrainResult> {
  mkdirSync(o.workDir, { recursive: true });
  const lines = readCorpusLines(o.corpusFiles);
  const tok = prepareTokenizer(o, lines);
  if (tok.maskId < 0) throw new Error('the tokenizer has no [MASK] token');
  const data = packCorpus(tok, lines, o);
  const config = pretrainedEncoderConfig(tok, o);
  const contrastive = o.contrastiveWeight > 0;
  const model = new EncoderForMaskedLM(config, o.seed, { pooler: contrastive });
  const sentences: SentencePool | undefined = contrastive
    ? sentencePool(lines.map((l) => tok.encode(l, undefined, o.sentenceLength).inputIds))
    : undefined;
  const wordEmbeddings = `${encoderPrefix(config)}embeddings.word_embeddings.weight`;
  const trainable = new Map(
    [...model.variables].filter(([name]) => !(o.freezeWordEmbeddings && name === wordEmbeddings)),
  );
  const optimizer = new AdamW(trainable, {
    beta1: 0.9,
    beta2: 0.98,
    epsilon: 1e-6,
    weightDecay: o.weightDecay,
  });
  const ckptFile = join(o.workDir, 'checkpoint.safetensors');
  const fp = fingerprint(o);
  let start = 0;
  let losses: LossRecord[] = [];
  let previousSeconds = 0;
  const resumed = loadPretrainCheckpoint(ckptFile);
  if (resumed !== undefined) {
    if (resumed.fingerprint !== fp)
      throw new Error(
        `${ckptFile} was made with other options; use another work directory or the same options`,
      );
    model.setWeights(resumed.weights);
    optimizer.setState(resumed.optimizer);
    start = resumed.step;
    losses = resumed.losses;
    previousSeconds = resumed.elapsedSeconds;
  } else if (o.embeddingInit !== 'random') {
    const table = initialWordEmbeddings(tok, data, o);
    model.setWeights(
      new Map([[wordEmbeddings, { shape: [tok.vocabSize, o.hiddenSize], data: table }]]),
      {
        strict: false,
      },
    );
  }
  const t0 = performance.now();
  const elapsed = () => previousSeconds + (performance.now() - t0) / 1000;
  const saveCheckpoint = (step: number) =>
    savePretrainCheckpoint(ckptFile, {
      step,
      fingerprint: fp,
      weights: model.getWeights(),
      optimizer: optimizer.getState(),
      losses,
      elapsedSeconds: elapsed(),
    });
  const epochCache = new Map<number, number[]>();
  const window = { loss: 0, maskedLM: 0, contrastive: 0, steps: 0 };
  const sessionStart = performance.now();
  for (let step = start; step < o.steps; step++) {
    const rows = batchIndices(o, data.count, step, epochCache);
    const lr = learningRateAt(step + 1, {
      learningRate: o.learningRate,
      totalSteps: o.steps,
      warmupSteps: o.warmupSteps,
      schedule: 'linear',
    });
    const inputs = {
      model,
      trainable,
      optimizer,
      tok,
      data,
      sentences,
      rows,
      step,
      learningRate: lr,
    };
    const { loss, maskedLM, contrastive: sentenceLoss } = trainStep(o, inputs);
    if (!Number.isFinite(loss))
      throw new Error(`pre-training loss became ${loss} at step ${step + 1}`);
    window.loss += loss;
    window.maskedLM += maskedLM;
    window.contrastive += sentenceLoss;
    window.steps++;
    if (window.steps === o.logEvery || step + 1 === o.steps) {
      const mean = (x: number) => x / window.steps;
      losses.push({
        step: step + 1,
        loss: mean(window.loss),
        ...(contrastive && o.maskedLMWeight > 0 && { maskedLM: mean(window.maskedLM) }),
        ...(contrastive && { contrastive: mean(window.contrastive) }),
        learningRate: lr,
        elapsedSeconds: elapsed(),
      });
      Object.assign(window, { loss: 0, maskedLM: 0, contrastive: 0, steps: 0 });
    }
    const sessionSeconds = (performance.now() - sessionStart) / 1000;
    o.onProgress?.({
      step: step + 1,
      totalSteps: o.steps,
      loss,
      learningRate: lr,
      elapsedSeconds: elapsed(),
      tokensPerSecond: ((step + 1 - start) * o.batchSize * o.sequenceLength) / sessionSeconds,
    });
    if ((step + 1) % o.checkpointEvery === 0 || step + 1 === o.steps) saveCheckpoint(step + 1);
    // Let timers and I/O callbacks run between steps.
    await new Promise((r) => setImmediate(r));
  }
  savePretrainedEncoder(o.outputDir, model, tok, { dtype: o.outputDtype, headless: true });
  writeFileSync(join(o.workDir, 'losses.json'), `${JSON.stringify(losses, null, 1)}\n`);
  const result: PretrainResult = {
    steps: o.steps,
    losses,
    elapsedSeconds: elapsed(),
    sequences: data.count,
    corpusLines: lines.length,
    config,
  };
  model.dispose();
  optimizer.dispose();
  return result;
}
