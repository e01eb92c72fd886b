/**
 * Training throughput of the encoder on the default backend (wasm) against PyTorch on
 * one thread (Debian python3-torch, bench/train.bench.py), same architecture and batch:
 * 2 layers, hidden 128, 2 heads, intermediate 512, vocabulary 6,000, batch 32 × 64 tokens,
 * AdamW; and evaluation sentences/s. Also ours with the fused attention kernel switched
 * off (TF.js's batched matMuls, softmax and dropout instead). PyTorch runs before and after
 * ours and the faster of its two runs is the baseline, so that a burst of load on the shared
 * machine cannot flatter the ratio. Both wall and CPU time are reported: CPU time is the
 * fairer ratio, and CPU/wall ≤ 1 shows each side ran on one thread.
 */

import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/train/backend';
import { ATTENTION, ATTENTION_GRAD } from '../src/train/kernels';
import { AdamW } from '../src/train/loop/adamw';
import { EncoderClassifier } from '../src/train/model';
import { bertTinyConfig } from './bert-tiny';

const V = 6000;
const B = 32;
const T = 64;
const STEPS = 10;
const config = bertTinyConfig(V, 0);
const ATTENTION_KERNELS = [ATTENTION, ATTENTION_GRAD];
/** Keeps PyTorch, OpenBLAS and OpenMP on one thread (torch.set_num_threads alone leaves OpenBLAS's pool). */
const ONE_THREAD_ENV = { OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };

interface Throughput {
  trainWall: number;
  trainCpu: number;
  evalWall: number;
  evalCpu: number;
  /** Process CPU seconds per wall second while training (above 1 = more than one thread busy). */
  trainCpuPerWall: number;
}

/** Mean seconds per call of `fn` (wall and process CPU) after one warm-up call. */
function measure(fn: () => void, n: number): { wall: number; cpu: number } {
  fn();
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  for (let i = 0; i < n; i++) fn();
  const c = process.cpuUsage(c0);
  return { wall: (performance.now() - w0) / 1000 / n, cpu: (c.user + c.system) / 1e6 / n };
}

function tfjsThroughput(): Throughput {
  const model = new EncoderClassifier(config, { numLabels: 2 }, 0);
  const optimizer = new AdamW(model.variables, {
    beta1: 0.9,
    beta2: 0.999,
    epsilon: 1e-8,
    weightDecay: 0.01,
  });
  const batch = {
    inputIds: tf.randomUniform([B, T], 5, V, 'int32') as tf.Tensor2D,
    tokenTypeIds: tf.zeros([B, T], 'int32') as tf.Tensor2D,
    attentionMask: tf.ones([B, T], 'int32') as tf.Tensor2D,
  };
  const labels = tf.oneHot(tf.randomUniform([B], 0, 2, 'int32') as tf.Tensor1D, 2);
  const names = [...model.variables.keys()];
  const train = measure(() => {
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(
        () =>
          tf.losses.softmaxCrossEntropy(
            labels,
            model.forward(batch, { training: true }),
          ) as tf.Scalar,
        [...model.variables.values()],
      );
      optimizer.step(
        new Map(names.map((n) => [n, grads[model.variables.get(n)!.name] as tf.Tensor])),
        1e-4,
      );
      value.dataSync();
    });
  }, STEPS);
  const evaluation = measure(() => {
    tf.tidy(() => model.forward(batch, { training: false }).dataSync());
  }, STEPS);
  tf.dispose([labels, ...Object.values(batch)]);
  optimizer.dispose();
  model.dispose();
  return {
    trainWall: (B * T) / train.wall,
    trainCpu: (B * T) / train.cpu,
    evalWall: B / evaluation.wall,
    evalCpu: B / evaluation.cpu,
    trainCpuPerWall: train.cpu / train.wall,
  };
}

/** Runs `fn` with the given kernels unregistered from wasm (the model falls back to composed ops). */
function withoutKernels<R>(names: string[], fn: () => R): R {
  const saved = names.map((name) => tf.getKernel(name, 'wasm')!);
  for (const name of names) tf.unregisterKernel(name, 'wasm');
  try {
    return fn();
  } finally {
    for (const k of saved) tf.registerKernel(k);
  }
}

function torchThroughput(): Throughput & { threads: Record<string, unknown> } {
  const script = path.join(__dirname, 'train.bench.py');
  const args = [
    script,
    V,
    config.hiddenSize,
    config.numLayers,
    config.numHeads,
    config.intermediateSize,
    B,
    T,
    STEPS,
  ];
  const r = spawnSync('/usr/bin/python3', args.map(String), {
    encoding: 'utf8',
    env: { ...process.env, ...ONE_THREAD_ENV },
  });
  if (r.status !== 0)
    throw new Error(`PyTorch baseline failed (python3-torch installed?): ${r.stderr}`);
  const j = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}');
  return {
    trainWall: j.trainTokensPerSecWall,
    trainCpu: j.trainTokensPerSecCpu,
    evalWall: j.evalSentencesPerSecWall,
    evalCpu: j.evalSentencesPerSecCpu,
    trainCpuPerWall: j.trainCpuPerWall,
    threads: { ...j.threads, osThreads: j.osThreads },
  };
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
const ratio = (x: number, base: number) => `1/${(base / x).toFixed(1)}`;

export async function run(): Promise<void> {
  const backend = await initBackend('wasm');
  const before = torchThroughput();
  const noAttention = withoutKernels(ATTENTION_KERNELS, tfjsThroughput);
  const ours = tfjsThroughput();
  const after = torchThroughput();
  const torch = {
    ...before,
    trainCpu: Math.max(before.trainCpu, after.trainCpu),
    evalCpu: Math.max(before.evalCpu, after.evalCpu),
  };
  console.log(`backend ${backend.name}; batch ${B} × ${T} tokens, ${STEPS} timed steps each`);
  console.log(`PyTorch threads: ${JSON.stringify(torch.threads)}`);
  console.log(
    `PyTorch CPU throughput before / after ours: train ${fmt(before.trainCpu)} / ${fmt(after.trainCpu)} tokens/s, eval ${fmt(before.evalCpu)} / ${fmt(after.evalCpu)} sentences/s (the higher is the baseline)\n`,
  );
  console.log(
    '| implementation | train tokens/s (CPU) | vs PyTorch | train tokens/s (wall) | train CPU/wall | eval sentences/s (CPU) | vs PyTorch |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  const row = (name: string, t: Throughput) =>
    console.log(
      `| ${name} | ${fmt(t.trainCpu)} | ${ratio(t.trainCpu, torch.trainCpu)} | ${fmt(t.trainWall)} | ${t.trainCpuPerWall.toFixed(2)} | ${fmt(t.evalCpu)} | ${ratio(t.evalCpu, torch.evalCpu)} |`,
    );
  row('PyTorch 1 thread (baseline)', torch);
  row('TF.js wasm, ours without the fused attention', noAttention);
  row('TF.js wasm, ours', ours);
}
