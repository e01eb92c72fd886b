// Numeric bounds the schema alone did not enforce, and YAML that must not blow up the validator.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveConfig, validateConfigText } from '../../../src/engine/config';
import { ExperimentSchema } from '../../../src/engine/config/schema';

const MINIMAL = `name: demo
data:
  train: train.tsv
  text: sentence
  label: label
`;

const errors = (text: string) =>
  validateConfigText(text, 'demo.bomf.yaml').diagnostics.filter((d) => d.severity === 'error');

// Bug caught: a search range checked only for low < high trained with dropout 4.45.
test("a search range must lie inside the hyperparameter's own bounds", () => {
  const ds = errors(
    `${MINIMAL}search:\n  parameters:\n    dropout: {low: 2, high: 5}\n    learningRate: {low: -1, high: 0.1}\n    batchSize: {low: 0, high: 1, type: int}\n`,
  );
  assert.deepEqual(
    ds.map((d) => [d.path, d.line, d.column]),
    [
      ['search.parameters.dropout.low', 8, 20],
      ['search.parameters.dropout.high', 8, 29],
      ['search.parameters.learningRate.low', 9, 25],
      ['search.parameters.batchSize.low', 10, 22],
    ],
  );
  assert.match(ds[0]!.message, /dropout allows: \[0, 0\.9\]/);
  assert.match(ds[2]!.message, /learningRate allows: \(0, 1\]/);
  // The upper end of an allowed range is itself allowed (a flipped comparison would refuse it).
  assert.deepEqual(
    errors(`${MINIMAL}search:\n  parameters:\n    dropout: {low: 0, high: 0.9}\n`),
    [],
  );
});

// Bug caught: typos such as epochs: 1e9 or fusion.initial: 1000 accepted and run for days.
test('absurd sizes are refused with the allowed range', () => {
  const [epochs] = errors(`${MINIMAL}hyperparameters:\n  epochs: 1e9\n`);
  assert.match(
    epochs!.message,
    /'hyperparameters.epochs' is 1000000000, out of range: allowed \(0, 1000\]/,
  );
  assert.equal(epochs!.line, 7);
  const [initial] = errors(`${MINIMAL}fusion:\n  initial: 1000\n`);
  assert.match(initial!.message, /'fusion.initial' is 1000, out of range: allowed \[1, 200\]/);
});

// Bug caught: YAML's .nan/.inf pass a JSON Schema number check in JavaScript.
test('.nan and .inf are not numbers a config may hold', () => {
  const [d] = errors(`${MINIMAL}hyperparameters:\n  learningRate: .nan\n`);
  assert.match(d!.message, /'hyperparameters.learningRate' must be number \(got NaN\)/);
  assert.equal(d!.line, 7);
});

// Bug caught: a billion-laughs document exits 1 with no position (or exhausts memory).
test('an alias bomb is one diagnostic at the first alias', () => {
  const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
  for (const [i, c] of [...'bcdefgh'].entries())
    levels.push(`${c}: &${c} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(', ')}]`);
  const [d, ...rest] = validateConfigText(
    `name: bomb\n${levels.join('\n')}\n`,
    'bomb.yaml',
  ).diagnostics;
  assert.deepEqual(rest, []);
  assert.match(d!.message, /alias bomb/);
  assert.deepEqual([d!.line, d!.column], [3, 8]);
});

// Bug caught: docs/config.md said the fusion budget defaults to 3K and the reference point to
// "BoTorch rule" while the code used 4K and 0.
test("the schema's described defaults are the ones resolve fills in", () => {
  const { config } = validateConfigText(MINIMAL, 'demo.bomf.yaml');
  const resolved = resolveConfig(config!, '/tmp/demo.bomf.yaml');
  const fusion = ExperimentSchema.properties.fusion.properties;
  const k = config!.train.checkpoints.count;
  const factor = Number(/default: (\d+)K/.exec(fusion.budget.description ?? '')?.[1]);
  assert.equal(resolved.fusion.budget, factor * k);
  assert.match(fusion.referencePoint.description ?? '', /default: 0 on every objective/);
  assert.deepEqual(
    resolved.fusion.referencePoint,
    resolved.fusion.objectives.map(() => 0),
  );
});
