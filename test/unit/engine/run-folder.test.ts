// Paths read from a run's files (the event log's checkpoint files and selection.dir) must stay
// inside the run folder: a crafted log must not make export copy ~/.ssh, or fuse read /etc. And a
// run folder written by an older version opens in today's shape.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { openRunFolder, resolveInRunFolder } from '../../../src/engine/store/run-folder';

test('paths inside the run folder resolve; .., absolute paths and links out of it are refused', () => {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-run-'));
  fs.mkdirSync(path.join(runDir, 'checkpoints'));
  fs.writeFileSync(path.join(runDir, 'checkpoints', 'ckpt-00.safetensors'), '');
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-outside-'));
  fs.symlinkSync(outside, path.join(runDir, 'fused-link'));
  fs.symlinkSync(outside, path.join(runDir, 'checkpoints', 'escape'));

  assert.equal(resolveInRunFolder(runDir, 'fused', 'selection.dir'), path.join(runDir, 'fused'));
  assert.equal(
    resolveInRunFolder(runDir, 'checkpoints/ckpt-00.safetensors', 'checkpoint file'),
    path.join(runDir, 'checkpoints', 'ckpt-00.safetensors'),
  );
  for (const bad of [
    '../../../.ssh',
    'checkpoints/../../x',
    '/etc/passwd',
    '.',
    '',
    'fused-link',
    'checkpoints/escape/id_rsa',
  ]) {
    assert.throws(
      () => resolveInRunFolder(runDir, bad, 'selection.dir'),
      /selection\.dir '.*' points outside the run folder/,
      bad,
    );
  }
});

test('a run folder from before model.pairEncoding opens as the cross-encoder it ran; a recorded form is kept', () => {
  const open = (model: Record<string, unknown>) => {
    const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-run-'));
    fs.writeFileSync(path.join(runDir, 'events.jsonl'), '');
    fs.writeFileSync(
      path.join(runDir, 'config.resolved.yaml'),
      stringify({ name: 'old', seed: 0, model }),
    );
    return openRunFolder(runDir).config.model;
  };
  const old = open({ source: 'assets/models/bomf-tiny', backend: 'wasm' });
  assert.equal(old.pairEncoding, 'cross');
  assert.equal(old.source, 'assets/models/bomf-tiny');
  assert.equal(open({ source: 'x', pairEncoding: 'bi' }).pairEncoding, 'bi');
});
