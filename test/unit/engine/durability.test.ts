// Durability order, checked through an injected file-system layer that models what a power cut
// would leave after every call (test/support/crash-model-fs.ts). `kill -9` keeps the page cache,
// so the kill tests cannot see a missing fsync; this model can.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { startRun } from '../../../src/engine/pipeline/run';
import { fuseModelFolders } from '../../../src/fusion/stream';
import { useFileSystem } from '../../../src/train/durable-fs';
import { writeSafetensors } from '../../../src/train/safetensors';
import { CrashModelFs, type CrashModelOptions } from '../../support/crash-model-fs';
import { events, ofType, workspace } from './pipeline-fixture';
import { SyntheticLab } from './synthetic-lab';

async function modelledRun(opts: CrashModelOptions = {}) {
  const ws = workspace();
  const layer = new CrashModelFs(opts);
  const restore = useFileSystem(layer);
  try {
    const outcome = await startRun(ws.config, { labFactory: async () => new SyntheticLab() });
    return { outcome, layer, events: events(outcome.runDir) };
  } finally {
    restore();
  }
}

describe('durability order (modelled power cut after every file-system call)', () => {
  test('a whole run keeps every promise: checkpoint data, its name, then its event; each event durable before anything else', async () => {
    const { outcome, layer, events: evs } = await modelledRun();
    assert.equal(outcome.status, 'done', outcome.error?.message);
    assert.deepEqual(layer.violations, []);
    // The checks ran on the real sequence: five checkpoints and one fsync per event.
    assert.equal(ofType(evs, 'checkpoint').length, 5);
    const logSyncs = layer.calls.filter(
      (c) => c === `fsync ${path.join(outcome.runDir, 'events.jsonl')}`,
    );
    assert.ok(logSyncs.length >= evs.length, `${logSyncs.length} fsyncs for ${evs.length} events`);
  });

  // The three checks below show that the model is not vacuous: each leaves out one kind of
  // fsync the engine makes, as a bug would, and the model reports it.
  test('an event log append without fsync is caught (the event could be lost after acting on it)', async () => {
    const { layer } = await modelledRun({ drop: (t) => path.basename(t) === 'events.jsonl' });
    assert.ok(layer.violations.length > 0);
    assert.match(layer.violations[0]!, /event log's last append is not durable/);
  });

  test('a checkpoint renamed into place before its data is fsynced is caught', async () => {
    const { layer } = await modelledRun({
      drop: (t) => /[/]checkpoints[/]\.ckpt-\d+\.safetensors\..*\.tmp$/.test(t),
    });
    assert.ok(
      layer.violations.some((v) =>
        /checkpoint event \d+ survives a crash.*its data is not durable/.test(v),
      ),
      layer.violations.join('\n'),
    );
  });

  test('a checkpoint whose folder is not fsynced after the rename is caught (its name could vanish)', async () => {
    const { layer } = await modelledRun({ drop: (t) => path.basename(t) === 'checkpoints' });
    assert.ok(
      layer.violations.some((v) =>
        /checkpoint event \d+ survives a crash.*its name is not durable/.test(v),
      ),
      layer.violations.join('\n'),
    );
  });
});

describe("the run's fused/ folder (staged beside it, renamed into place)", () => {
  /** Fuses two small model folders into <run>/fused through the modelled file system. */
  async function modelledFuse(opts: CrashModelOptions = {}) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-fused-durable-'));
    const members = [1, 2].map((k) => {
      const member = path.join(dir, `ckpt-${k}`);
      fs.mkdirSync(member);
      const w = { shape: [3], data: new Float32Array([k, -k, 0.5 * k]) };
      writeSafetensors(path.join(member, 'model.safetensors'), new Map([['w', w]]));
      return member;
    });
    const fused = path.join(dir, 'run', 'fused');
    const layer = new CrashModelFs(opts);
    const restore = useFileSystem(layer);
    try {
      await fuseModelFolders(members, [0.5, 0.5], fused);
    } finally {
      restore();
    }
    return { layer, weights: path.join(fused, 'model.safetensors') };
  }

  test('once fusion returns, the folder survives a power cut', async () => {
    const { layer, weights } = await modelledFuse();
    assert.ok(fs.existsSync(weights));
    assert.ok(layer.wouldSurvive(weights));
    assert.ok(
      layer.calls.some((c) => /^rename .*[/]\.fused\.partial-\w+ .*[/]run[/]fused$/.test(c)),
    );
  });

  test('a rename whose parent folder is not fsynced is caught (fused/ could vanish)', async () => {
    // The bug: the staging folder renamed to fused/ and the selection event written after it,
    // with no fsync of the run folder between: a power cut keeps the event, loses fused/.
    const { layer, weights } = await modelledFuse({ drop: (t) => path.basename(t) === 'run' });
    assert.ok(fs.existsSync(weights));
    assert.equal(layer.wouldSurvive(weights), false);
  });
});
