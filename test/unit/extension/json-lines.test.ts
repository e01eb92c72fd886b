import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonLinesReader } from '../../../src/extension/runs/json-lines';

describe('JsonLinesReader', () => {
  it('should hold back a line split across chunks until its newline arrives', () => {
    const reader = new JsonLinesReader();
    assert.deepEqual(reader.push('{"a":1}\n{"b"').values, [{ a: 1 }]);
    assert.deepEqual(reader.push(':2').values, []);
    assert.deepEqual(reader.push('}\n').values, [{ b: 2 }]);
    assert.equal(reader.pendingLength, 0);
  });

  it('should decode a UTF-8 character cut between two byte chunks', () => {
    const reader = new JsonLinesReader();
    const bytes = Buffer.from('{"msg":"loss→0.5"}\n', 'utf8');
    const cut = bytes.indexOf(0xe2) + 1; // inside the 3-byte arrow
    assert.deepEqual(reader.push(bytes.subarray(0, cut)).values, []);
    assert.deepEqual(reader.push(bytes.subarray(cut)).values, [{ msg: 'loss→0.5' }]);
  });

  it('should reject lines that are not JSON objects without losing the others', () => {
    const reader = new JsonLinesReader();
    const batch = reader.push('warming up\n{"ok":true}\n[1,2]\n\n42\n');
    assert.deepEqual(batch.values, [{ ok: true }]);
    assert.deepEqual(batch.rejected, ['warming up', '[1,2]', '42']);
  });

  it('should parse a complete last line without newline at the end and reject a torn one', () => {
    const whole = new JsonLinesReader();
    whole.push('{"a":1}');
    assert.deepEqual(whole.end().values, [{ a: 1 }]);
    const torn = new JsonLinesReader();
    torn.push('{"a":1}\n{"b":');
    assert.deepEqual(torn.end(), { values: [], rejected: ['{"b":'] });
  });
});
