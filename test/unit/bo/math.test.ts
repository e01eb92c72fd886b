import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  erf,
  erfc,
  erfcx,
  log1mexp,
  logAddExp,
  logSumExp,
  normalLogCdf,
  softmax,
} from '../../../src/bo/math';
import fixture from '../../fixtures/bo/special_mpmath.json';
import { assertClose } from './gradcheck';

test('erf, erfc and erfcx match mpmath to ~1e-15 relative (Cody approximations)', () => {
  let worst = 0;
  for (const row of fixture.erf) {
    for (const [name, fn] of [
      ['erf', erf],
      ['erfc', erfc],
      ['erfcx', erfcx],
    ] as const) {
      const want = row[name];
      if (want === null) continue;
      const rel = Math.abs(fn(row.x) - want) / Math.abs(want);
      worst = Math.max(worst, rel);
      assert.ok(rel < 1e-15 * 4, `${name}(${row.x}) = ${fn(row.x)}, mpmath ${want}, rel ${rel}`);
    }
  }
  assert.ok(worst > 0, 'the fixture must exercise inexact values');
});

test('log Φ matches mpmath from z = 10 down to z = −1e6', () => {
  for (const row of fixture.logH) {
    assertClose(normalLogCdf(row.z), row.logNormalCdf, 1e-13, 1e-300, `logΦ(${row.z})`);
  }
});

test('log1mexp is accurate near 0 and far from it', () => {
  assertClose(log1mexp(-1e-20), Math.log(1e-20), 1e-15);
  assertClose(log1mexp(-50), -Math.exp(-50), 1e-15);
  assertClose(log1mexp(-1), Math.log(1 - Math.exp(-1)), 1e-15);
  assert.ok(Number.isNaN(log1mexp(0.1)));
});

test('logSumExp, logAddExp and softmax avoid overflow', () => {
  assertClose(logSumExp([1000, 1000]), 1000 + Math.LN2, 1e-15);
  assertClose(logAddExp(-1000, -1000), -1000 + Math.LN2, 1e-15);
  assert.equal(logSumExp([]), Number.NEGATIVE_INFINITY);
  assert.equal(
    logSumExp([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY]),
    Number.NEGATIVE_INFINITY,
  );
  const w = softmax([800, 801, 799]);
  assertClose(
    w.reduce((a, b) => a + b, 0),
    1,
    1e-15,
  );
  assert.ok(w[1] > w[0] && w[0] > w[2]);
});
