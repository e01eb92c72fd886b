import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { BomfEvent } from '../../../src/contract/events';
import { isProcessAlive } from '../../../src/engine/store/process-identity';
import { EngineRun, engineCommand } from '../../../src/extension/runs/engine-process';

const location = {
  enginePath: path.join(__dirname, 'fake-engine', 'engine.cjs'),
  nodePath: process.execPath,
};

function start(args: string[]) {
  const events: BomfEvent[] = [];
  let log = '';
  let exit: { code: number | null; signal: string | null } | undefined;
  const run = new EngineRun({
    location,
    args,
    cwd: __dirname,
    onEvents: (es) => events.push(...es),
    onLog: (t) => {
      log += t;
    },
    onExit: (r) => {
      exit = r;
    },
  });
  const until = async (pred: () => boolean) => {
    while (!pred()) await new Promise((r) => setTimeout(r, 10));
  };
  return { run, events, log: () => log, exit: () => exit, until };
}

describe('EngineRun', () => {
  it('should use the editor runtime as Node only when no Node path is configured', () => {
    const own = engineCommand({ enginePath: '/x/engine.js' }, ['validate', 'a.yaml']);
    assert.equal(own.command, process.execPath);
    assert.equal(own.env.ELECTRON_RUN_AS_NODE, '1');
    assert.deepEqual(own.args, ['/x/engine.js', 'validate', 'a.yaml']);
    const configured = engineCommand(
      { enginePath: '/x/engine.js', nodePath: '/opt/node/bin/node' },
      [],
    );
    assert.equal(configured.command, '/opt/node/bin/node');
    assert.equal(configured.env.ELECTRON_RUN_AS_NODE, process.env.ELECTRON_RUN_AS_NODE);
  });

  it('should stream events from stdout split mid-line and send other output to the log', async () => {
    const r = start(['finish', '/tmp/r1']);
    await r.run.whenExited();
    assert.deepEqual(
      r.events.map((e) => e.type),
      ['run-start', 'stage-start', 'run-end'],
    );
    assert.match(r.log(), /not json/);
    assert.match(r.log(), /loading data/);
    assert.deepEqual(r.exit(), { code: 0, signal: null });
    assert.equal(r.run.running, false);
  });

  it('should stop with SIGTERM and let the engine write run-end', async () => {
    const r = start(['wait', '/tmp/r2']);
    await r.until(() => r.events.length >= 2);
    await r.run.stop(5000);
    assert.equal(r.events.at(-1)?.type, 'run-end');
    assert.equal(r.exit()?.code, 143);
  });

  it('should kill with SIGKILL an engine that ignores SIGTERM after the grace period', async () => {
    const r = start(['wait', '/tmp/r3', '--ignore-term']);
    await r.until(() => r.events.length >= 2);
    const pid = r.run.pid;
    await r.run.stop(150);
    assert.equal(r.exit()?.signal, 'SIGKILL');
    assert.equal(isProcessAlive(pid), false);
  });
});
