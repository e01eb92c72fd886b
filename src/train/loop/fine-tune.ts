/**
 * The fine-tuning loop shared by BOMF's stage 1 (short runs on a proxy, judged by
 * their best validation metric) and stage 2 (the full run that collects the fusion
 * members). See `FineTuneOptions` for the knobs, and training-state.ts for what makes
 * a run resumable.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { evaluate } from '../evaluate';
import type { LoraAdapter } from '../model';
import type { NamedTensors } from '../named-tensors';
import { readSafetensors, writeSafetensors } from '../safetensors';
import { AdamW } from './adamw';
import { collateBatch, disposeBatch, planEpochBatches } from './batching';
import { checkpointFileName, checkpointSteps, trainingStateFileFor } from './checkpoint-schedule';
import { clipByGlobalNorm } from './clip';
import { encodeExamples, lengthsOf } from './encoding';
import { NonFiniteLossError } from './errors';
import { resolveHyperparameters } from './hyperparameters';
import {
  createLoraAdapters,
  disposeLoraAdapters,
  loraParameters,
  mergedWeights,
  mergeLoraIntoModel,
} from './lora';
import { batchLoss } from './loss';
import { trainableModelVariables } from './proxy';
import { mixSeed } from './random';
import { learningRateAt, warmupStepsFor } from './schedule';
import { fingerprintMismatch, loadTrainingState, saveTrainingState } from './training-state';
import type {
  CheckpointRecord,
  EvalRecord,
  FineTuneOptions,
  FineTuneResult,
  Scores,
} from './types';

/** Seed stream of dropout masks; step t uses mixSeed(seed, DROPOUT_STREAM, t). */
const DROPOUT_STREAM = 0xd40b;

/** Whether `a` is a better objective value than `b` (a NaN metric, e.g. a constant output's correlation, never is). */
function isBetter(objective: string, a: Scores, b: Scores): boolean {
  if (objective === 'loss') return a.loss < b.loss || Number.isNaN(b.loss);
  const value = (s: Scores) => {
    const v = s.metrics[objective];
    return v === undefined || Number.isNaN(v) ? -Infinity : v;
  };
  return value(a) > value(b);
}

/**
 * Fine-tunes `model` in place on `dataset.train`, evaluating on `dataset.validation`.
 * With LoRA, the adapters are merged into the model's weights when the run ends
 * (normally, by abort or by error), so the caller always gets a plain model back.
 * @throws NonFiniteLossError when a step's loss is NaN/±Inf (weights stay at the last good step).
 */
export async function fineTune(opts: FineTuneOptions): Promise<FineTuneResult> {
  const { model, tokenizer, dataset } = opts;
  const hp = resolveHyperparameters(opts.hyperparameters);
  const seed = opts.seed ?? 0;
  const objective = opts.objectiveMetric ?? opts.metrics[0] ?? 'loss';
  if (dataset.train.length === 0) throw new Error('fineTune: the training split is empty');
  if (dataset.validation.length === 0) throw new Error('fineTune: the validation split is empty');
  if (objective !== 'loss' && !opts.metrics.includes(objective))
    throw new Error(
      `objectiveMetric '${objective}' is not among metrics [${opts.metrics.join(', ')}]`,
    );
  if (opts.evalEvery !== undefined && !(Number.isInteger(opts.evalEvery) && opts.evalEvery > 0))
    throw new Error(`evalEvery must be a positive integer, got ${opts.evalEvery}`);

  const encoded = encodeExamples(tokenizer, dataset.train, hp.maxLength, model.config.pairEncoding);
  const lengths = lengthsOf(encoded);
  const labels = dataset.train.map((ex) => ex.label);
  const stepsPerEpoch = Math.ceil(encoded.length / hp.batchSize);
  const totalSteps = hp.maxSteps ?? Math.max(1, Math.round(hp.epochs * stepsPerEpoch));
  const schedule = {
    learningRate: hp.learningRate,
    totalSteps,
    warmupSteps: warmupStepsFor(hp.warmupRatio, totalSteps),
    schedule: hp.schedule,
  };
  const collectAt = opts.checkpoints
    ? checkpointSteps(totalSteps, opts.checkpoints.count, opts.checkpoints.start)
    : [];
  const fingerprint = {
    hyperparameters: hp,
    seed,
    trainSize: encoded.length,
    totalSteps,
    proxy: opts.proxy ?? null,
    checkpoints: opts.checkpoints ? [opts.checkpoints.count, opts.checkpoints.start] : null,
    bucketing: opts.bucketing !== false,
  };

  const adapters: Map<string, LoraAdapter> | undefined = opts.proxy?.lora
    ? createLoraAdapters(model, opts.proxy.lora, seed)
    : undefined;
  const params = trainableModelVariables(model.variables, opts.proxy, model.config.numLayers);
  if (adapters) for (const [name, v] of loraParameters(adapters)) params.set(name, v);
  // tf.variableGrads keys gradients by the TF.js variable name, not ours.
  const paramByTfName = new Map([...params].map(([name, v]) => [v.name, name]));
  const optimizer = new AdamW(params, {
    beta1: hp.adamBeta1,
    beta2: hp.adamBeta2,
    epsilon: hp.adamEpsilon,
    weightDecay: hp.weightDecay,
  });

  let step = 0;
  const history: EvalRecord[] = [];
  const checkpoints: CheckpointRecord[] = [];
  let status: FineTuneResult['status'] = 'completed';

  const validate = async (): Promise<Scores> => {
    const r = await evaluate(model, tokenizer, dataset.validation, {
      batchSize: opts.evalBatchSize ?? 64,
      maxLength: hp.maxLength,
      metrics: opts.metrics,
      task: dataset.task,
      lora: adapters,
    });
    return { loss: r.loss, metrics: r.metrics };
  };

  try {
    if (opts.resume) {
      step = restore(opts.resume.fromCheckpoint);
    }
    training: while (step < totalSteps) {
      const epoch = Math.floor(step / stepsPerEpoch);
      const plan = planEpochBatches(lengths, {
        batchSize: hp.batchSize,
        seed,
        epoch,
        bucket: opts.bucketing !== false,
      });
      for (let b = step - epoch * stepsPerEpoch; b < plan.length && step < totalSteps; b++) {
        // Let timers and signal handlers run (an abort arrives as a macrotask).
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (opts.signal?.aborted) {
          status = 'aborted';
          break training;
        }
        const loss = trainStep(plan[b]!, epoch);
        step += 1;
        const epochsDone = step / stepsPerEpoch;
        await opts.onProgress?.({
          step,
          totalSteps,
          epoch: epochsDone,
          loss,
          learningRate: learningRateAt(step, schedule),
        });
        const checkpointIndex = collectAt.indexOf(step);
        const epochEnd = step % stepsPerEpoch === 0 || step === totalSteps;
        const due = opts.evalEvery !== undefined && step % opts.evalEvery === 0;
        if (!(epochEnd || due || checkpointIndex >= 0)) continue;
        const record: EvalRecord = { step, epoch: epochsDone, validation: await validate() };
        history.push(record);
        await opts.onEval?.(record);
        if (checkpointIndex >= 0) await collect(checkpointIndex, record);
      }
    }
  } finally {
    optimizer.dispose();
    if (adapters) {
      mergeLoraIntoModel(model, adapters);
      disposeLoraAdapters(adapters);
    }
  }

  let best: EvalRecord | undefined;
  for (const r of history)
    if (best === undefined || isBetter(objective, r.validation, best.validation)) best = r;
  return { status, steps: step, totalSteps, history, best, checkpoints };

  /** One optimizer step on the given examples; returns the batch's loss. */
  function trainStep(indices: number[], epoch: number): number {
    const batch = collateBatch(encoded, indices, tokenizer.padId);
    const batchLabels = indices.map((i) => labels[i]!);
    const dropoutSeed = mixSeed(seed, DROPOUT_STREAM, step + 1);
    const { value, grads } = tf.variableGrads(
      () =>
        batchLoss(
          model.forward(batch, { training: true, seed: dropoutSeed, lora: adapters }),
          batchLabels,
          dataset.task,
        ),
      [...params.values()],
    );
    disposeBatch(batch);
    const loss = value.dataSync()[0]!;
    value.dispose();
    const byName = new Map<string, tf.Tensor>();
    for (const [tfName, g] of Object.entries(grads)) byName.set(paramByTfName.get(tfName)!, g);
    if (!Number.isFinite(loss)) {
      tf.dispose(Object.values(grads));
      throw new NonFiniteLossError(step + 1, epoch, loss, checkpoints.at(-1)?.file);
    }
    if (hp.maxGradNorm > 0) {
      const clipped = clipByGlobalNorm(byName, hp.maxGradNorm);
      tf.dispose(Object.values(grads));
      clipped.norm.dispose();
      optimizer.step(clipped.grads, learningRateAt(step + 1, schedule));
      tf.dispose([...clipped.grads.values()]);
    } else {
      optimizer.step(byName, learningRateAt(step + 1, schedule));
      tf.dispose(Object.values(grads));
    }
    return loss;
  }

  /** Saves checkpoint `index` (weights, then the training state) and reports it. */
  async function collect(index: number, record: EvalRecord): Promise<void> {
    const dir = opts.checkpoints!.dir;
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, checkpointFileName(index));
    const weights = adapters ? mergedWeights(model, adapters) : model.getWeights();
    writeSafetensors(file, weights, {
      dtype: 'F32',
      metadata: {
        format: 'pt',
        step: String(record.step),
        epoch: String(record.epoch),
        validation: JSON.stringify(record.validation),
      },
    });
    const ckpt: CheckpointRecord = {
      index,
      step: record.step,
      epoch: record.epoch,
      file,
      stateFile: trainingStateFileFor(file),
      validation: record.validation,
    };
    checkpoints.push(ckpt);
    const extraParameters: NamedTensors = adapters ? hostCopy(loraParameters(adapters)) : new Map();
    saveTrainingState(ckpt.stateFile, {
      meta: { step, fingerprint, history, checkpoints },
      optimizer: optimizer.getState(),
      extraParameters,
    });
    await opts.onCheckpoint?.(ckpt);
  }

  /** Loads weights, adapters, moments and bookkeeping of a saved checkpoint; returns its step. */
  function restore(checkpointFile: string): number {
    const stateFile = trainingStateFileFor(checkpointFile);
    if (!fs.existsSync(checkpointFile))
      throw new Error(`resume: checkpoint ${checkpointFile} not found`);
    if (!fs.existsSync(stateFile))
      throw new Error(
        `resume: training state ${stateFile} not found (was the run killed while saving?)`,
      );
    const state = loadTrainingState(stateFile);
    const mismatch = fingerprintMismatch(state.meta.fingerprint, fingerprint);
    if (mismatch !== undefined)
      throw new Error(`resume: ${stateFile} was saved with different settings (${mismatch})`);
    restoreWeights(checkpointFile, state.extraParameters);
    optimizer.setState(state.optimizer);
    history.push(...state.meta.history);
    checkpoints.push(...state.meta.checkpoints);
    return state.meta.step;
  }

  function restoreWeights(checkpointFile: string, extra: NamedTensors): void {
    const saved = readSafetensors(checkpointFile).tensors;
    if (adapters) {
      // The file holds W + s·BA; the base W of a LoRA run never changes, so keep the
      // model's own copy of the adapted weights and restore the adapters instead.
      for (const name of adapters.keys()) saved.delete(name);
      for (const [name, v] of loraParameters(adapters)) {
        const t = extra.get(name);
        if (t === undefined)
          throw new Error(`resume: ${checkpointFile}: adapter '${name}' missing from the state`);
        tf.tidy(() => v.assign(tf.tensor(t.data, t.shape, 'float32')));
      }
    }
    model.setWeights(saved, { strict: !adapters });
  }
}

function hostCopy(vars: ReadonlyMap<string, tf.Variable>): NamedTensors {
  return new Map(
    [...vars].map(([name, v]) => [
      name,
      { shape: v.shape.slice(), data: v.dataSync() as Float32Array },
    ]),
  );
}
