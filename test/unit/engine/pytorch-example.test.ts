// examples/pytorch end to end through the built CLI: a real PyTorch trainer behind the
// command protocol, three stages and baselines, and the exported fused model re-scored
// by the example's own evaluate command. Skips when no python3 can import torch.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { parse, stringify } from 'yaml';
import { emptyRunFold, foldEvents } from '../../../src/contract/fold';
import { trainingCurves, trialCurves } from '../../../src/webview/model/training';
import { bomf, ofType, runEvents } from '../../support/cli';

const example = path.resolve(__dirname, '../../../examples/pytorch');

/** The first interpreter that imports torch (Debian's python3-torch lives in /usr/bin/python3). */
function torchPython(): string | undefined {
  return ['python3', '/usr/bin/python3'].find(
    (py) => spawnSync(py, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0,
  );
}

const python = torchPython();

test('examples/pytorch/sst2.bomf.yaml runs through bomf run; its evaluate re-scores the fused model to the recorded value', {
  skip: python
    ? false
    : "python3 -c 'import torch' fails: install Debian's python3-torch (apt-get install python3-torch) to run the PyTorch example",
}, () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-pytorch-'));
  const config = parse(fs.readFileSync(path.join(example, 'sst2.bomf.yaml'), 'utf8'));
  // The example as shipped, with this machine's interpreter and paths made absolute.
  config.trainer.python = python;
  config.trainer.cwd = example;
  for (const split of ['train', 'test'])
    config.data[split] = path.join(example, config.data[split]);
  // Smaller budgets than the example's, to keep this test short on a busy machine:
  // each command start imports torch (seconds under load); every stage still runs.
  config.search = { ...config.search, budget: 2, initial: 2 };
  config.fusion = { ...config.fusion, initial: 1, budget: 2 };
  config.baselines = ['best-single'];
  config.data.limit = { train: 800, validation: 100, test: 100 };
  const file = path.join(work, 'sst2.bomf.yaml');
  fs.writeFileSync(file, stringify(config));

  const r = bomf(['run', file, '--out', work]);
  assert.equal(r.status, 0, r.stderr);
  const runDir = path.join(work, fs.readdirSync(work).find((d) => d.startsWith('sst2-pytorch'))!);
  const evs = runEvents(runDir);
  assert.equal(ofType(evs, 'trial-end').filter((e) => e.status === 'done').length, 2);
  assert.equal(ofType(evs, 'checkpoint').length, 4);
  const front = ofType(evs, 'pareto-update').at(-1)!;
  assert.ok(front.front.length >= 1 && front.hypervolume >= 0);
  assert.deepEqual(
    ofType(evs, 'baseline').map((b) => b.name),
    ['bomf', 'best-single'],
  );
  for (const b of ofType(evs, 'baseline')) assert.ok(b.test, `${b.name} has a test score`);

  // The dashboard's curves, folded from the log, are what the trainer wrote to metrics.jsonl.
  const fold = emptyRunFold();
  foldEvents(fold, evs);
  const written = (dir: string) =>
    fs
      .readFileSync(path.join(runDir, dir, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map(
        (l) => JSON.parse(l) as { step: number; loss?: number; metrics?: Record<string, number> },
      );
  const losses = (lines: ReturnType<typeof written>) =>
    lines.filter((l) => l.loss !== undefined).map((l) => ({ x: l.step, y: l.loss! }));
  const validations = (lines: ReturnType<typeof written>, name: string) =>
    lines.filter((l) => l.metrics).map((l) => ({ x: l.step, y: l.metrics![name]! }));
  const trials = trialCurves(fold);
  assert.deepEqual(
    trials.map((t) => t.trial),
    [0, 1],
  );
  for (const t of trials) {
    const lines = written(path.join('trials', `trial-${t.trial}`));
    assert.ok(t.loss.length > 1, `trial ${t.trial} has a loss curve`);
    assert.deepEqual(t.loss, losses(lines), `trial ${t.trial} loss`);
    assert.deepEqual(t.metric, validations(lines, 'accuracy'), `trial ${t.trial} accuracy`);
  }
  const stage2 = trainingCurves(fold);
  const trainLines = written('train');
  assert.deepEqual(stage2.trainLoss, losses(trainLines));
  // Validations at checkpoints belong to the validation curve too.
  assert.deepEqual(stage2.validationLoss, validations(trainLines, 'loss'));
  assert.equal(stage2.validationLoss.length, trainLines.filter((l) => l.metrics).length);

  // The exported fused model, scored again by the example's own evaluate command.
  const selection = ofType(evs, 'selection')[0]!;
  const fused = path.join(runDir, selection.dir);
  assert.ok(fs.existsSync(path.join(fused, 'model.safetensors')));
  const params = path.join(runDir, 'trials', 'trial-0', 'params.json');
  const out = fs.mkdtempSync(path.join(work, 'rescore-'));
  const again = spawnSync(python!, ['trainer.py', 'evaluate', params, out, fused, 'test'], {
    cwd: example,
    env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
    encoding: 'utf8',
  });
  assert.equal(again.status, 0, again.stderr);
  const rescored = JSON.parse(fs.readFileSync(path.join(out, 'metrics.json'), 'utf8'));
  assert.ok(
    Math.abs(rescored.loss - selection.test!.loss) < 1e-6,
    `${rescored.loss} vs ${selection.test!.loss}`,
  );
  assert.ok(Math.abs(rescored.accuracy - selection.test!.metrics.accuracy!) < 1e-6);
});

// Catches: a full disk or a busy GPU reported as an ordinary failure (exit 1: the engine would
// record a failed trial) or an ordinary error swallowed into exit 75 (the run would stop and
// rerun it forever).
test('the example exits 75 (EX_TEMPFAIL) on a full disk or a busy GPU, and 1 on its own errors', {
  skip: python ? false : "python3 -c 'import torch' fails: install Debian's python3-torch",
}, () => {
  const exitOf = (raise: string) =>
    spawnSync(
      python!,
      [
        '-c',
        `import errno, trainer\ndef main():\n    raise ${raise}\ntrainer.main = main\ntrainer.run()`,
      ],
      { cwd: example, encoding: 'utf8' },
    );
  const full = exitOf("OSError(errno.ENOSPC, 'No space left on device')");
  assert.equal(full.status, 75, full.stderr);
  assert.match(full.stderr, /No space left on device/);
  const busy = exitOf(
    "RuntimeError('CUDA error: all CUDA-capable devices are busy or unavailable')",
  );
  assert.equal(busy.status, 75, busy.stderr);
  assert.equal(exitOf("RuntimeError('mat1 and mat2 shapes cannot be multiplied')").status, 1);
  assert.equal(exitOf("OSError(errno.ENOENT, 'No such file or directory')").status, 1);
});
