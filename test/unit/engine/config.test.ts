import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import {
  experimentJsonSchemaText,
  resolveConfig,
  validateConfigText,
} from '../../../src/engine/config';

const MINIMAL = `name: demo
data:
  train: train.tsv
  text: sentence
  label: label
`;

function only(text: string) {
  const { diagnostics } = validateConfigText(text, 'demo.bomf.yaml');
  assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics, null, 1));
  return diagnostics[0]!;
}

describe('config validation', () => {
  test('a minimal config is valid and gets the documented defaults', () => {
    const { diagnostics, config } = validateConfigText(MINIMAL, 'demo.bomf.yaml');
    assert.deepEqual(diagnostics, []);
    assert.ok(config);
    assert.equal(config.train.checkpoints.count, 15);
    assert.equal(config.train.checkpoints.start, 0.5);
    assert.deepEqual(config.data.metrics, ['accuracy']);
    assert.equal(config.fusion.selection, 'one-se');
    assert.deepEqual(config.search.parameters.learningRate, {
      low: 1e-5,
      high: 1e-3,
      log: true,
      type: 'float',
    });
  });

  test('YAML syntax errors name the line', () => {
    const d = only('name: demo\ndata:\n  train: [a.tsv\n');
    assert.match(d.message, /^YAML:/);
    assert.ok(d.line >= 3, `line ${d.line}`);
  });

  test('an unknown key points at the key and suggests the nearest valid one', () => {
    const d = only(`${MINIMAL}serch:\n  budget: 4\n`);
    assert.equal(d.line, 6);
    assert.equal(d.column, 1);
    assert.equal(d.path, 'serch');
    assert.match(d.message, /unknown key 'serch' at the top level; did you mean 'search'\?/);
  });

  test('an unknown nested key names its section', () => {
    const d = only(`${MINIMAL}search:\n  parameters:\n    learningrate: {low: 1e-5, high: 1e-3}\n`);
    assert.equal(d.line, 8);
    assert.equal(d.column, 5);
    assert.match(d.message, /in 'search.parameters'; did you mean 'learningRate'\?/);
  });

  test('a value out of range gives the allowed range', () => {
    const d = only(`${MINIMAL}train:\n  checkpoints:\n    count: 1\n`);
    assert.equal(d.path, 'train.checkpoints.count');
    assert.equal(d.line, 8);
    assert.equal(d.column, 12);
    assert.match(d.message, /is 1, out of range: allowed \[2, 100\]/);
  });

  test('a bad enum value lists the choices and suggests one', () => {
    const d = only(`${MINIMAL}fusion:\n  selection: knees\n`);
    assert.equal(d.path, 'fusion.selection');
    assert.match(
      d.message,
      /must be one of best-metric, knee, min-loss, one-se \(got "knees"\); did you mean 'knee'\?/,
    );
  });

  test('a missing required field names it', () => {
    const d = only('name: demo\ndata:\n  train: a.tsv\n  text: sentence\n');
    assert.equal(d.path, 'data');
    assert.match(d.message, /'data' is missing the required field 'label'/);
  });

  test('a wrong type names the field and the value', () => {
    const d = only(`${MINIMAL}seed: lots\n`);
    assert.equal(d.path, 'seed');
    assert.match(d.message, /'seed' must be integer \(got "lots"\)/);
  });

  test('a range with low >= high is reported at high', () => {
    const d = only(
      `${MINIMAL}search:\n  parameters:\n    learningRate: {low: 1e-3, high: 1e-5, log: true}\n`,
    );
    assert.equal(d.path, 'search.parameters.learningRate.high');
    assert.match(d.message, /must be greater than low/);
  });

  test('a log range needs a positive low bound', () => {
    const d = only(
      `${MINIMAL}search:\n  parameters:\n    weightDecay: {low: 0, high: 0.1, log: true}\n`,
    );
    assert.match(d.message, /log-scaled range needs low > 0/);
  });

  test('metrics must fit the task', () => {
    const d = only(
      MINIMAL.replace(
        'label: label',
        'label: label\n  task: regression\n  metrics: [pearson, accuracy]',
      ),
    );
    assert.equal(d.path, 'data.metrics.1');
    assert.match(d.message, /'accuracy' does not fit a regression task/);
  });

  test('initial design larger than the budget is refused', () => {
    const d = only(`${MINIMAL}search:\n  budget: 2\n  initial: 3\n`);
    assert.equal(d.path, 'search.initial');
  });

  test('missing data files are reported when a base folder is given', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-config-'));
    const { diagnostics } = validateConfigText(MINIMAL, 'demo.bomf.yaml', { baseDir: dir });
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0]!.path, 'data.train');
    assert.equal(diagnostics[0]!.line, 3);
    assert.match(diagnostics[0]!.message, /data file not found: train\.tsv/);
    fs.writeFileSync(path.join(dir, 'train.tsv'), 'sentence\tlabel\n');
    assert.deepEqual(
      validateConfigText(MINIMAL, 'demo.bomf.yaml', { baseDir: dir }).diagnostics,
      [],
    );
  });

  test('several mistakes are all reported', () => {
    const { diagnostics } = validateConfigText(
      `${MINIMAL}seed: -1\nfusion:\n  domian: simplex\n`,
      'x.yaml',
    );
    assert.deepEqual(diagnostics.map((d) => d.path).sort(), ['fusion.domian', 'seed']);
  });
});

describe('command trainer config', () => {
  const trainer = (trial: string, extra = '') => `${MINIMAL}trainer:
  type: command
  trial: ${trial}
  train: ["\${python}", "t.py", "\${params_file}"]
  evaluate: ["\${python}", "t.py", "\${model_dir}", "\${split}"]
${extra}`;

  test('commands with their macros are valid; python defaults to python3', () => {
    const { diagnostics, config } = validateConfigText(
      trainer(`["\${python}", "t.py", "\${args}", "\${out_dir}"]`),
      'demo.bomf.yaml',
    );
    assert.deepEqual(diagnostics, []);
    assert.equal(config?.trainer?.python, 'python3');
  });

  test('a macro the role does not know is refused at its argument, with the known ones', () => {
    // Catches: ${split} accepted in a trial (it would be passed to the trainer unexpanded).
    const d = only(trainer(`["\${python}", "t.py", "\${split}"]`));
    assert.equal(d.path, 'trainer.trial.2');
    assert.match(
      d.message,
      /'trainer\.trial\[2\]': unknown macro \$\{split\}; trial knows \$\{python\}/,
    );
  });

  test('a shell string instead of an argument array, a bad env name and a missing cwd are named', () => {
    assert.equal(only(trainer('"python t.py"')).path, 'trainer.trial');
    const env = only(trainer('["t"]', '  env: { "OMP THREADS": "1" }\n'));
    assert.match(
      env.message,
      /'trainer\.env': 'OMP THREADS' is not a valid environment variable name/,
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-cfg-'));
    fs.writeFileSync(path.join(dir, 'train.tsv'), 'sentence\tlabel\na\t0\n');
    const { diagnostics } = validateConfigText(
      trainer('["t"]', '  cwd: nowhere\n'),
      'demo.bomf.yaml',
      {
        baseDir: dir,
      },
    );
    assert.deepEqual(
      diagnostics.map((x) => [x.path, x.message.split(' (')[0]]),
      [['trainer.cwd', 'trainer.cwd folder not found: nowhere']],
    );
  });

  test('examples/pytorch/sst2.bomf.yaml is valid with its files present', () => {
    const dir = path.resolve(__dirname, '../../../examples/pytorch');
    const file = path.join(dir, 'sst2.bomf.yaml');
    const { diagnostics } = validateConfigText(fs.readFileSync(file, 'utf8'), file, {
      baseDir: dir,
    });
    assert.deepEqual(diagnostics, []);
  });
});

test('the committed JSON Schema is the one generated from the TypeBox schema (npm run schema)', () => {
  const committed = fs.readFileSync(
    path.resolve(__dirname, '../../../schemas/experiment.schema.json'),
    'utf8',
  );
  assert.equal(committed, experimentJsonSchemaText());
});

test('the JSON Schema does not require fields that have defaults', () => {
  const schema = JSON.parse(experimentJsonSchemaText());
  assert.deepEqual(schema.required, ['name', 'data']);
  assert.deepEqual(schema.properties.data.required, ['train', 'text', 'label']);
});

describe('executor section', () => {
  test('a Slurm-only field under kind: local is an error on its line', () => {
    const d = only(`${MINIMAL}executor:\n  kind: local\n  partition: gpu\n`);
    assert.equal(d.severity, 'error');
    assert.equal(d.line, 8);
    assert.match(d.message, /'executor\.partition' applies only to kind: slurm/);
  });

  test('search.parallel is a deprecated alias of executor.slots, with a warning', () => {
    const text = `${MINIMAL}search:\n  parallel: 3\n`;
    const d = only(text);
    assert.equal(d.severity, 'warning');
    assert.match(d.message, /deprecated.*executor: \{ slots: N \}/);
    const { config } = validateConfigText(text, 'demo.bomf.yaml');
    assert.equal(resolveConfig(config!, 'demo.bomf.yaml').executor.slots, 3);
  });

  test('slots default to one per core locally (one with a command trainer) and to a few jobs on Slurm; given slots win', () => {
    // Catches: a user's GPU trainer started once per core on one GPU by default.
    const slotsOf = (text: string) =>
      resolveConfig(validateConfigText(text, 'demo.bomf.yaml').config!, 'demo.bomf.yaml').executor
        .slots;
    assert.equal(slotsOf(MINIMAL), os.availableParallelism());
    assert.equal(slotsOf(`${MINIMAL}executor: { kind: slurm }\n`), 4);
    assert.equal(slotsOf(`${MINIMAL}executor: { kind: slurm, slots: 12 }\n`), 12);
    const command = `${MINIMAL}trainer:
  type: command
  trial: ["t"]
  train: ["t"]
  evaluate: ["t"]
`;
    assert.equal(slotsOf(command), 1);
    assert.equal(slotsOf(`${command}executor: { slots: 3 }\n`), 3);
    assert.equal(slotsOf(`${command}executor: { kind: slurm }\n`), 4);
  });
});
