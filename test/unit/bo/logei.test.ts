import assert from 'node:assert/strict';
import { test } from 'node:test';
import { logEI, logEIWithGrad, logH } from '../../../src/bo/acquisition/logei';
import fixture from '../../fixtures/bo/special_mpmath.json';
import { assertClose, assertGradClose, finiteDifferenceGradient } from './gradcheck';

test('log h(z) matches mpmath to 1e-6 relative (in fact ~1e-14) from z = 10 down to −1e6', () => {
  for (const row of fixture.logH) {
    assertClose(logH(row.z), row.logH, 1e-13, 1e-15, `log h(${row.z})`);
  }
});

test('logEI matches mpmath on (mean, sigma, best) triples', () => {
  for (const row of fixture.logEI) {
    assertClose(
      logEI(row.mean, row.sigma, row.best),
      row.logEI,
      1e-13,
      1e-15,
      `logEI(${row.mean}, ${row.sigma}, ${row.best})`,
    );
  }
});

test('the derivative of log h matches mpmath Φ(z)/h(z), finite and positive across z', () => {
  for (const row of fixture.logH) {
    const { dMean } = logEIWithGrad(row.z, 1, 0);
    assert.ok(Number.isFinite(dMean) && dMean > 0);
    assertClose(dMean, row.dLogH, 1e-12, 0, `d log h/dz at ${row.z}`);
  }
});

test('logEI gradients in mean and sigma match central finite differences across regimes', () => {
  for (const [mean, sigma, best] of [
    [0.3, 0.2, 0.1],
    [-0.5, 1, 0],
    [-3, 0.5, 0],
    [-10, 0.5, 0], // z = −20: erfcx branch
    [-300, 1.5, 0], // z = −200: asymptotic series branch
    [2, 0.1, 0],
  ]) {
    const g = logEIWithGrad(mean, sigma, best);
    const h = 1e-6 * Math.max(1, Math.abs(mean));
    const fd = finiteDifferenceGradient(
      (v) => logEI(v[0], v[1], best),
      [mean, sigma],
      Math.min(h, sigma / 10),
    );
    assertGradClose([g.dMean, g.dSigma], fd, {
      rtol: 1e-6,
      atol: 1e-8,
      what: `logEI(${mean},${sigma},${best})`,
    });
    assertClose(g.value, logEI(mean, sigma, best), 0, 0);
  }
});

test('log h is continuous across its branch boundaries at z = −1 and z = −30', () => {
  for (const z0 of [-1, -30]) {
    const below = logH(z0 - 1e-9);
    const above = logH(z0 + 1e-9);
    assert.ok(Math.abs(below - above) < 1e-6 * Math.abs(z0), `jump at ${z0}: ${below} vs ${above}`);
  }
});
