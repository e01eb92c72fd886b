// "Open Trial Log" finds the stdout.log and stderr.log the executor wrote for a trial's
// job, whichever lab ran it: a command trainer's trial (trials/trial-N/) or a TF.js
// trial job (jobs/trial-N/, the folder TfJobs gives the executor).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import type { CommandTrainerConfig } from '../../../src/engine/config/schema-execution';
import { LocalExecutor } from '../../../src/engine/executor/local';
import { CommandRunner } from '../../../src/engine/lab/command/job';
import { trialDir } from '../../../src/engine/lab/command/layout';
import { tfJobDir, trialLogFiles } from '../../../src/engine/lab/trial-logs';

const script = (what: string) => [
  '-e',
  `console.log('out of ${what}'); console.error('err of ${what}')`,
];

test("a trial's logs are the files its executor wrote, for the command lab and the TF.js lab", async () => {
  // Catches: the logs looked for in trials/ only (a TF.js trial job's are in jobs/), in
  // another folder than the one the lab gives the executor, or under other file names.
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-trial-logs-'));
  const executor = new LocalExecutor(1);
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the trainer's macro, as a config writes it
  const python = '${python}';
  const trainer = {
    type: 'command',
    python: process.execPath,
    trial: [python, ...script('trial 2')],
    train: [python],
    evaluate: [python],
  } as CommandTrainerConfig;
  await new CommandRunner(trainer, runDir, executor).run(
    { role: 'trial', name: 'trial-2', dir: trialDir(runDir, 2), params: {} },
    { reattach: false, onLines: () => {} },
  );
  const tfJob = await executor.submit({
    name: 'trial-3',
    argv: [process.execPath, ...script('trial 3')],
    cwd: runDir,
    dir: tfJobDir(runDir, 'trial-3'),
  });
  assert.deepEqual(await tfJob.ended, { kind: 'exited', code: 0 });

  for (const trial of [2, 3]) {
    const logs = trialLogFiles(runDir, trial).map((f) => fs.readFileSync(f, 'utf8'));
    assert.deepEqual(logs, [`out of trial ${trial}\n`, `err of trial ${trial}\n`]);
  }
  // A trial trained in the driver (or not started) has none.
  assert.deepEqual(trialLogFiles(runDir, 4), []);
});
