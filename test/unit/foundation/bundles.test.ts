// Smoke tests of the three esbuild bundles in dist/ (built by `npm run build`).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import { test } from 'node:test';
import * as vm from 'node:vm';
import pkg from '../../../package.json';

const root = path.resolve(__dirname, '..', '..', '..');
const dist = path.join(root, 'dist');

function bomf(...args: string[]) {
  return spawnSync(process.execPath, [path.join(root, 'bin', 'bomf.js'), ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
}

test('engine bundle prints its version', () => {
  const r = bomf('--version');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), pkg.version);
});

test('engine bundle prints help listing its commands', () => {
  const r = bomf('--help');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Usage: bomf/);
  assert.match(r.stdout, /doctor/);
});

test('an unknown subcommand exits non-zero and points at --help', () => {
  const r = bomf('frobnicate');
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /unknown command 'frobnicate'/);
  assert.match(r.stderr, /bomf --help/);
});

test('a near-miss subcommand gets a suggestion', () => {
  const r = bomf('docter');
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /Did you mean doctor\?/);
});

test('bomf doctor runs a tensor self-test on the wasm backend from the bundle', () => {
  const r = bomf('doctor', '--backend', 'wasm', '--json');
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.backend.name, 'wasm');
  assert.equal(report.selfTest.ok, true);
  assert.deepEqual(report.selfTest.result, [1, 2, 3, 4]);
});

test('the wasm binaries sit next to the engine bundle', () => {
  for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm']) {
    assert.ok(fs.existsSync(path.join(dist, f)), `${f} missing from dist/`);
  }
});

test('extension bundle loads with a stub vscode module and exports activate/deactivate', () => {
  const stubbed = Module as unknown as {
    _load: (request: string, parent: unknown, isMain: boolean) => unknown;
  };
  const original = stubbed._load;
  stubbed._load = (request, parent, isMain) =>
    request === 'vscode' ? {} : original(request, parent, isMain);
  try {
    const ext = require(path.join(dist, 'extension.js'));
    assert.equal(typeof ext.activate, 'function');
    assert.equal(typeof ext.deactivate, 'function');
  } finally {
    stubbed._load = original;
  }
});

test('webview bundle evaluates in a browser-like context and bundles Chart.js', () => {
  const code = fs.readFileSync(path.join(dist, 'webview.js'), 'utf8');
  assert.doesNotMatch(code, /require\(/, 'a browser bundle must not call require');
  const context: Record<string, unknown> = {};
  context.window = context;
  context.self = context;
  vm.runInNewContext(code, context);
  const exported = context.bomfWebview as { chartJsVersion: string };
  // chart.js's `exports` map hides its package.json from require(): read the file.
  const chartPkg = path.join(root, 'node_modules', 'chart.js', 'package.json');
  assert.equal(exported.chartJsVersion, JSON.parse(fs.readFileSync(chartPkg, 'utf8')).version);
});
