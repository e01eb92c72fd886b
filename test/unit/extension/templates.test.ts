import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTemplateList } from '../../../src/extension/commands/templates';

describe('parseTemplateList', () => {
  it('should read one template name per line, with an optional description', () => {
    assert.deepEqual(parseTemplateList('sst2-quick\ntiny  - the smallest run\n\n'), [
      { name: 'sst2-quick', description: '' },
      { name: 'tiny', description: 'the smallest run' },
    ]);
  });

  it('should read a JSON listing of names or of objects', () => {
    assert.deepEqual(parseTemplateList('["a","b"]'), [
      { name: 'a', description: '' },
      { name: 'b', description: '' },
    ]);
    assert.deepEqual(parseTemplateList('[{"name":"x","description":"y"}]'), [
      { name: 'x', description: 'y' },
    ]);
  });
});
