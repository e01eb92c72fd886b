/**
 * `model.pairEncoding`: what `auto` resolves to, where `bi` is refused (with the field named, on
 * its line), and that the editor's completion and hover see the setting.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  experimentJsonSchemaText,
  resolveConfig,
  validateConfigText,
} from '../../../src/engine/config';
import {
  type JsonSchema,
  keysOf,
  schemaAtPath,
  valuesOf,
} from '../../../src/extension/config/schema-walker';
import { resolvePairEncoding } from '../../../src/train/model';

/** Sentence pairs, classification by default, asking for the bi-encoder on line 8. */
const PAIRS = `name: demo
data:
  train: train.tsv
  text: sentence1
  textPair: sentence2
  label: label
model:
  pairEncoding: bi
`;

test('auto: bi for regression on sentence pairs, cross for classification and for single sentences', () => {
  // Catches a swapped condition (bi for classification) or auto ignoring the second column.
  assert.equal(resolvePairEncoding('auto', 'regression', true), 'bi');
  assert.equal(resolvePairEncoding('auto', 'classification', true), 'cross');
  assert.equal(resolvePairEncoding('auto', 'regression', false), 'cross');
  assert.equal(resolvePairEncoding('auto', 'classification', false), 'cross');
  // An explicit choice is kept where it can run.
  assert.equal(resolvePairEncoding('cross', 'regression', true), 'cross');
  assert.equal(resolvePairEncoding('bi', 'regression', true), 'bi');
});

test('the resolved config (config.resolved.yaml) names the form a run uses', () => {
  const regression = PAIRS.replace('pairEncoding: bi', 'pairEncoding: auto').replace(
    'label: label',
    'label: label\n  task: regression\n  metrics: [pearson]',
  );
  const resolved = (text: string) =>
    resolveConfig(validateConfigText(text, 'demo.bomf.yaml').config!, 'demo.bomf.yaml').model
      .pairEncoding;
  assert.equal(resolved(regression), 'bi');
  assert.equal(resolved(PAIRS.replace('pairEncoding: bi', 'pairEncoding: auto')), 'cross');
});

test('bi is refused on classification and on single sentences, naming the field', () => {
  assert.throws(
    () => resolvePairEncoding('bi', 'classification', true),
    /^Error: model\.pairEncoding: 'bi' .* regression tasks only; use 'cross' or 'auto' for classification$/,
  );
  assert.throws(
    () => resolvePairEncoding('bi', 'regression', false, 'FT_VS_TFIDF_PAIR_ENCODING'),
    /^Error: FT_VS_TFIDF_PAIR_ENCODING: .*no second text column \(data\.textPair\)/,
  );
});

test('bomf validate refuses pairEncoding: bi on a classification task at its line', () => {
  const { diagnostics } = validateConfigText(PAIRS, 'demo.bomf.yaml');
  assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
  const d = diagnostics[0]!;
  assert.equal(d.path, 'model.pairEncoding');
  assert.equal(d.severity, 'error');
  assert.equal(d.line, 8);
  assert.match(d.message, /^'model\.pairEncoding': 'bi' .* regression tasks only/);
});

test('bomf validate accepts bi on regression pairs and refuses it without a second column', () => {
  const regression = PAIRS.replace(
    'label: label',
    'label: label\n  task: regression\n  metrics: [pearson]',
  );
  assert.deepEqual(validateConfigText(regression, 'demo.bomf.yaml').diagnostics, []);
  const single = regression.replace('  textPair: sentence2\n', '');
  const { diagnostics } = validateConfigText(single, 'demo.bomf.yaml');
  assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
  assert.equal(diagnostics[0]!.path, 'model.pairEncoding');
  assert.match(diagnostics[0]!.message, /data\.textPair/);
});

test('completion offers model.pairEncoding with its three values, and hover has its description', () => {
  const schema = JSON.parse(experimentJsonSchemaText()) as JsonSchema;
  const key = keysOf(schemaAtPath(schema, ['model'])).find((k) => k.name === 'pairEncoding');
  assert.ok(key, 'model.pairEncoding is a completion key');
  const node = schemaAtPath(schema, ['model', 'pairEncoding']);
  assert.deepEqual(valuesOf(node), ['auto', 'cross', 'bi']);
  assert.match(node?.description ?? '', /bi-encoder/);
  assert.match(node?.description ?? '', /cross-encoder/);
});
