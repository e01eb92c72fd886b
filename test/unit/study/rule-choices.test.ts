// BOMF's choice under another selection rule, from a hand-made run folder and a
// fake lab: which front point each rule picks, when a test evaluation is reused,
// what the one new evaluation is asked for, and that it is made once.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { pickOnFront, recordedTest, ruleChoices } from '../../../bench/study/rule-choices';
import type { BomfEvent, Evaluation } from '../../../src/contract/events';
import type { LabFactory } from '../../../src/engine/pipeline/run';

const time = '2026-12-06T00:00:00.000Z';
const val = (metric: number, loss: number): Evaluation => ({ loss, metrics: { accuracy: metric } });

/** Stage-3 evaluations (accuracy, loss): a front of three and one dominated point. */
function fusionEvals(): BomfEvent[] {
  const points: [number, number, number[]][] = [
    [0.8, 0.5, [1, 0, 0]], // best metric
    [0.78, 0.4, [0, 1, 0]], // within one standard error of 0.8 at n = 100 (0.04), lower loss
    [0.7, 0.3, [0, 0, 1]], // lowest loss, but 0.1 below the best
    [0.77, 0.45, [0.5, 0.5, 0]], // dominated by the second
  ];
  return points.map(([m, loss, weights], index) => ({
    type: 'fusion-eval',
    seq: index,
    time,
    index,
    source: 'initial',
    x: weights,
    weights,
    validation: val(m, loss),
    objectives: [-loss, m],
  }));
}

test('best-metric takes the top metric, one-se the lowest loss within one standard error of it', () => {
  const events = fusionEvals();
  assert.equal(pickOnFront(events, 'best-metric', 'accuracy', 100).index, 0);
  // SE at 0.8 on 100 examples = 0.04: 0.78 is inside, 0.7 is not.
  assert.equal(pickOnFront(events, 'one-se', 'accuracy', 100).index, 1);
  // On 10,000 examples the SE is 0.004: only the best itself is inside.
  assert.equal(pickOnFront(events, 'one-se', 'accuracy', 10_000).index, 0);
});

test('a recorded test evaluation is found only for the same weights', () => {
  const test0 = val(0.6, 0.9);
  const events: BomfEvent[] = [
    {
      type: 'baseline',
      seq: 0,
      time,
      name: 'swa',
      weights: [0.5, 0.5],
      validation: val(0.7, 0.5),
      test: test0,
    },
  ];
  assert.equal(recordedTest(events, [0.5, 0.5]), test0);
  assert.equal(recordedTest(events, [0.6, 0.4]), undefined);
});

function runFolder(): { dir: string; events: BomfEvent[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-rule-choices-'));
  fs.mkdirSync(path.join(dir, 'checkpoints'));
  const checkpoint = (index: number): BomfEvent => {
    const file = `checkpoints/ckpt-${index}.safetensors`;
    fs.writeFileSync(path.join(dir, file), '');
    return {
      type: 'checkpoint',
      seq: 0,
      time,
      index,
      step: index,
      epoch: 1,
      file,
      validation: val(0.5, 1),
    };
  };
  // Logged out of order (a resumed stage 2): the members are taken in index order.
  const events = [checkpoint(2), checkpoint(0), checkpoint(1), ...fusionEvals()];
  // The run chose the best-metric point and evaluated it on test.
  events.push({
    type: 'selection',
    seq: 0,
    time,
    index: 0,
    rule: 'best-metric',
    weights: [1, 0, 0],
    validation: val(0.8, 0.5),
    test: val(0.75, 0.6),
    dir: 'fused',
  });
  fs.writeFileSync(path.join(dir, 'events.jsonl'), events.map((e) => JSON.stringify(e)).join('\n'));
  fs.writeFileSync(path.join(dir, 'config.resolved.yaml'), 'name: x\n');
  return { dir, events };
}

function fakeLab(calls: { members: string[]; weights: number[]; split: string }[]): {
  factory: LabFactory;
  made: () => number;
} {
  let made = 0;
  const factory: LabFactory = async () => {
    made++;
    return {
      backend: 'fake',
      validationSize: 100,
      evaluateMix: async (members: string[], weights: number[], split: string) => {
        calls.push({ members, weights, split });
        return val(0.74, 0.55);
      },
      dispose() {},
    } as unknown as Awaited<ReturnType<LabFactory>>;
  };
  return { factory, made: () => made };
}

test('a new pick is evaluated once on test with the members in index order; a known one is reused; both cached', async () => {
  const { dir } = runFolder();
  const cache = path.join(dir, 'rule-choices.json');
  const calls: { members: string[]; weights: number[]; split: string }[] = [];
  const lab = fakeLab(calls);
  const choices = await ruleChoices(
    dir,
    ['best-metric', 'one-se'],
    'accuracy',
    100,
    lab.factory,
    cache,
  );
  const [best, oneSe] = choices;
  assert.equal(best!.reused, true);
  assert.deepEqual(best!.test, val(0.75, 0.6), "the run's own test evaluation");
  assert.equal(oneSe!.reused, false);
  assert.equal(oneSe!.index, 1);
  assert.deepEqual(oneSe!.test, val(0.74, 0.55));
  assert.deepEqual(calls, [
    {
      members: [0, 1, 2].map((i) =>
        path.join(fs.realpathSync(dir), `checkpoints/ckpt-${i}.safetensors`),
      ),
      weights: [0, 1, 0],
      split: 'test',
    },
  ]);
  const again = await ruleChoices(dir, ['one-se'], 'accuracy', 100, lab.factory, cache);
  assert.deepEqual(again, choices, 'read back from the cache');
  assert.equal(lab.made(), 1, 'no second lab, no second evaluation');
});
