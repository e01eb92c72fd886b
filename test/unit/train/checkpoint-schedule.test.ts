import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkpointFileName,
  checkpointSteps,
  trainingStateFileFor,
} from '../../../src/train/loop/checkpoint-schedule';

test('K checkpoints evenly spaced after the start fraction, the last at the final step', () => {
  assert.deepEqual(checkpointSteps(1000, 5, 0.5), [600, 700, 800, 900, 1000]);
  assert.deepEqual(checkpointSteps(10, 1, 0), [10]);
  assert.deepEqual(checkpointSteps(10, 10, 0), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
});

test('uneven spans round to distinct, increasing steps ending at the last step', () => {
  const steps = checkpointSteps(2105, 15, 0.5);
  assert.equal(steps.length, 15);
  assert.equal(steps.at(-1), 2105);
  assert.ok(steps[0]! > 1053);
  for (let i = 1; i < steps.length; i++) {
    const gap = steps[i]! - steps[i - 1]!;
    assert.ok(gap === 70 || gap === 71, `gap ${gap}`);
  }
});

test('impossible schedules are refused with the reason', () => {
  assert.throws(() => checkpointSteps(20, 15, 0.5), /count = 15 exceeds the 10 steps/);
  assert.throws(() => checkpointSteps(20, 0, 0.5), /positive integer/);
  assert.throws(() => checkpointSteps(20, 2, 1), /\[0, 1\)/);
});

test('file names are ckpt-XX with the state file beside them', () => {
  assert.equal(checkpointFileName(3), 'ckpt-03.safetensors');
  assert.equal(checkpointFileName(15), 'ckpt-15.safetensors');
  assert.equal(trainingStateFileFor('/r/ckpt-03.safetensors'), '/r/ckpt-03.state.safetensors');
});
