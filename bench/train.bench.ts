/**
 * Training throughput of the encoder on the default backend (wasm) against PyTorch on
 * one thread (Debian python3-torch, bench/train.bench.py), same architecture and batch:
 * 2 layers, hidden 128, 2 heads, intermediate 512, vocabulary 6,000, batch 32 × 64 tokens,
 * AdamW. Also TF.js with our fused kernels switched off ("naive": composed layer norm,
 * GELU and dropout, matMuls with transpose flags), and evaluation sentences/s.
 * Both wall and CPU time are reported: the machine is shared, CPU time is the fairer ratio.
 */

import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/train/backend';
import {
  COLUMN_SUM,
  DROPOUT,
  GELU,
  LAYER_NORM,
  LAYER_NORM_GRAD,
  TRANSPOSE_2D,
} from '../src/train/kernels';
import { AdamW } from '../src/train/loop/adamw';
import { EncoderClassifier } from '../src/train/model';
import { bertTinyConfig } from './bert-tiny';

const V = 6000;
const B = 32;
const T = 64;
const STEPS = 10;
const config = bertTinyConfig(V, 0);
const FUSED = [TRANSPOSE_2D, LAYER_NORM, LAYER_NORM_GRAD, GELU, DROPOUT, COLUMN_SUM];

interface Throughput {
  trainWall: number;
  trainCpu: number;
  evalWall: number;
  evalCpu: number;
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
  };
}

/** Runs `fn` with our fused kernels unregistered from wasm (the model falls back to composed ops). */
function withoutFusedKernels<R>(fn: () => R): R {
  const saved = FUSED.map((name) => tf.getKernel(name, 'wasm')!);
  for (const name of FUSED) tf.unregisterKernel(name, 'wasm');
  try {
    return fn();
  } finally {
    for (const k of saved) tf.registerKernel(k);
  }
}

function torchThroughput(): Throughput {
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
  const r = spawnSync('/usr/bin/python3', args.map(String), { encoding: 'utf8' });
  if (r.status !== 0)
    throw new Error(`PyTorch baseline failed (python3-torch installed?): ${r.stderr}`);
  const j = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}');
  return {
    trainWall: j.trainTokensPerSecWall,
    trainCpu: j.trainTokensPerSecCpu,
    evalWall: j.evalSentencesPerSecWall,
    evalCpu: j.evalSentencesPerSecCpu,
  };
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
const ratio = (x: number, base: number) => `1/${(base / x).toFixed(1)}`;

export async function run(): Promise<void> {
  const backend = await initBackend('wasm');
  const torch = torchThroughput();
  const naive = withoutFusedKernels(tfjsThroughput);
  const ours = tfjsThroughput();
  console.log(`backend ${backend.name}; batch ${B} × ${T} tokens, ${STEPS} timed steps each\n`);
  console.log(
    '| implementation | train tokens/s (CPU) | vs PyTorch | train tokens/s (wall) | eval sentences/s (CPU) | vs PyTorch |',
  );
  console.log('| --- | --- | --- | --- | --- | --- |');
  const row = (name: string, t: Throughput) =>
    console.log(
      `| ${name} | ${fmt(t.trainCpu)} | ${ratio(t.trainCpu, torch.trainCpu)} | ${fmt(t.trainWall)} | ${fmt(t.evalCpu)} | ${ratio(t.evalCpu, torch.evalCpu)} |`,
    );
  row('PyTorch 1 thread (baseline)', torch);
  row('TF.js wasm, naive (composed ops)', naive);
  row('TF.js wasm, ours (fused kernels)', ours);
}
