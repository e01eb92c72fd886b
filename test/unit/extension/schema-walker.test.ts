import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { experimentJsonSchemaText } from '../../../src/engine/config';
import {
  cursorContext,
  itemValuesOf,
  type JsonSchema,
  keyAtOffset,
  keysOf,
  schemaAtPath,
  valuesOf,
} from '../../../src/extension/config/schema-walker';

const schema = JSON.parse(experimentJsonSchemaText()) as JsonSchema;

/** Splits a text at `|` into the text and the cursor's 0-based line and character. */
function at(marked: string) {
  const offset = marked.indexOf('|');
  const text = marked.replace('|', '');
  const before = text.slice(0, offset).split('\n');
  return { text, offset, line: before.length - 1, character: before[before.length - 1].length };
}

describe('schema walker', () => {
  it('should read the parent keys of a key being typed from indentation, even in invalid YAML', () => {
    const c = at('name: x\nsearch:\n  budget: 10\n  proxy:\n    fr|\nfusion: {}\n');
    assert.deepEqual(cursorContext(c.text, c.line, c.character), {
      path: ['search', 'proxy'],
      role: 'key',
      prefix: 'fr',
      present: [],
    });
    const keys = keysOf(schemaAtPath(schema, ['search', 'proxy'])).map((k) => k.name);
    assert.deepEqual(keys.sort(), ['freeze', 'lora']);
  });

  it('should offer top-level keys with required ones first on an empty line at column 0', () => {
    const c = at('name: x\n|');
    assert.deepEqual(cursorContext(c.text, c.line, c.character), {
      path: [],
      role: 'key',
      prefix: '',
      present: ['name'],
    });
    const keys = keysOf(schemaAtPath(schema, []));
    assert.deepEqual(
      keys.filter((k) => k.required).map((k) => k.name),
      schema.required,
    );
    assert.ok(keys.some((k) => k.name === 'fusion'));
  });

  it('should know the keys the mapping already has, above and below, and no deeper or outer ones', () => {
    // Catches completion offering 'budget' again under search: (the finding).
    const c = at(
      'name: x\nsearch:\n  budget: 10\n  proxy:\n    lora: {}\n  |\n  initial: 3\nfusion: {}\n',
    );
    assert.deepEqual(cursorContext(c.text, c.line, c.character)?.present, [
      'proxy',
      'budget',
      'initial',
    ]);
  });

  it('should offer enum values after a key and item values in lists', () => {
    const v = at('fusion:\n  acquisition: e|');
    const ctx = cursorContext(v.text, v.line, v.character);
    assert.deepEqual(ctx, { path: ['fusion', 'acquisition'], role: 'value', prefix: 'e' });
    assert.deepEqual(valuesOf(schemaAtPath(schema, ctx!.path)), ['auto', 'ehvi', 'qlognehvi']);
    const flow = at('data:\n  metrics: [accuracy, |');
    const flowCtx = cursorContext(flow.text, flow.line, flow.character);
    assert.deepEqual(flowCtx, { path: ['data', 'metrics'], role: 'item', prefix: '' });
    assert.ok(itemValuesOf(schemaAtPath(schema, flowCtx!.path)).includes('f1'));
    const block = at('baselines:\n  - sw|');
    const blockCtx = cursorContext(block.text, block.line, block.character);
    assert.deepEqual(blockCtx, { path: ['baselines'], role: 'item', prefix: 'sw' });
    assert.ok(itemValuesOf(schemaAtPath(schema, blockCtx!.path)).includes('swa'));
    assert.deepEqual(valuesOf(schemaAtPath(schema, ['search', 'enabled'])), [true, false]);
  });

  it('should find the key under the cursor with its full path and source range for hover', () => {
    const c = at('name: x\nfusion:\n  sel|ection: knee\n');
    const hit = keyAtOffset(c.text, c.offset);
    assert.deepEqual(hit?.path, ['fusion', 'selection']);
    assert.equal(c.text.slice(hit!.range[0], hit!.range[1]), 'selection');
    assert.match(schemaAtPath(schema, hit!.path)?.description ?? '', /Pareto front/);
    assert.equal(keyAtOffset(c.text, c.text.indexOf('knee') + 1), undefined);
  });

  it('should return nothing for paths the schema does not allow', () => {
    assert.equal(schemaAtPath(schema, ['fusion', 'nope']), undefined);
    assert.deepEqual(keysOf(undefined), []);
  });
});
