import assert from 'node:assert/strict';
import { test } from 'node:test';
import { learningRateAt, warmupStepsFor } from '../../../src/train/loop/schedule';

const base = { learningRate: 1e-3, totalSteps: 110, warmupSteps: 10 };
const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-15, `${a} vs ${b}`);

test('warmup rises linearly and peaks on its last step', () => {
  for (const schedule of ['constant', 'linear', 'cosine'] as const) {
    const o = { ...base, schedule };
    close(learningRateAt(1, o), 1e-4);
    close(learningRateAt(5, o), 5e-4);
    close(learningRateAt(10, o), 1e-3);
    close(learningRateAt(11, o), 1e-3);
  }
});

test('constant stays at the peak after warmup', () => {
  const o = { ...base, schedule: 'constant' as const };
  close(learningRateAt(60, o), 1e-3);
  close(learningRateAt(110, o), 1e-3);
});

test('linear decays by lr/(total − warmup) per step to lr/100 at the last of 100 decay steps', () => {
  const o = { ...base, schedule: 'linear' as const };
  close(learningRateAt(61, o), 0.5e-3); // progress (61 − 1 − 10)/100 = 0.5
  close(learningRateAt(110, o), 1e-5); // progress 0.99
});

test('cosine is half the peak mid-way and (1 + cos 0.99π)/2 of it at the end', () => {
  const o = { ...base, schedule: 'cosine' as const };
  close(learningRateAt(61, o), 0.5e-3);
  close(learningRateAt(36, o), (1e-3 * (1 + Math.SQRT1_2)) / 2); // progress 0.25
  close(learningRateAt(110, o), (1e-3 * (1 + Math.cos(0.99 * Math.PI))) / 2);
});

test('no warmup starts at the peak; warmup length is the ceiling of ratio·total', () => {
  close(learningRateAt(1, { ...base, warmupSteps: 0, schedule: 'linear' }), 1e-3);
  assert.equal(warmupStepsFor(0.2, 101), 21);
  assert.equal(warmupStepsFor(0, 101), 0);
});
