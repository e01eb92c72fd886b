import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Command } from 'commander';
import {
  pretrainOptionsFromCli,
  registerPretrainCommand,
} from '../../../src/engine/commands/pretrain';
import { initBackend } from '../../../src/train/backend';
import { mixSeed, seededRandom } from '../../../src/train/loop/random';
import { loadPretrainedEncoder } from '../../../src/train/model';
import {
  type EmbeddingInit,
  maskTokens,
  type PretrainOptions,
  packSequences,
  pretrainMaskedLM,
} from '../../../src/train/pretrain';
import { readSafetensors } from '../../../src/train/safetensors';

const dir = mkdtempSync(join(tmpdir(), 'bomf-pretrain-'));
before(async () => {
  await initBackend('wasm');
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('masking selects ~15% of regular tokens, never specials, and corrupts them 80/10/10', () => {
  const random = seededRandom(mixSeed(9));
  const specials = new Set([0, 1, 2, 3, 4]);
  const ids = Int32Array.from({ length: 200_000 }, (_, i) =>
    i % 10 === 0 ? 2 : 5 + Math.floor(random() * 995),
  );
  const m = maskTokens(ids, {
    rate: 0.15,
    maskId: 4,
    vocabSize: 1000,
    specialIds: specials,
    firstRegularId: 5,
    random: seededRandom(mixSeed(10)),
  });
  const regular = ids.filter((id) => !specials.has(id)).length;
  assert.ok(Math.abs(m.positions.length / regular - 0.15) < 0.005);
  let masked = 0;
  let unchanged = 0;
  let previous = -1;
  m.positions.forEach((p, k) => {
    assert.ok(p > previous, 'positions ascend');
    previous = p;
    assert.ok(!specials.has(ids[p] as number), 'a special token was selected');
    assert.equal(m.labels[k], ids[p]);
    if (m.inputIds[p] === 4) masked++;
    else if (m.inputIds[p] === ids[p]) unchanged++;
    else assert.ok((m.inputIds[p] as number) >= 5, 'random replacement is a regular token');
  });
  const n = m.positions.length;
  assert.ok(Math.abs(masked / n - 0.8) < 0.01, `masked ${masked / n}`);
  // "unchanged" also catches the rare random draw equal to the original (~0.1%).
  assert.ok(Math.abs(unchanged / n - 0.1) < 0.01, `unchanged ${unchanged / n}`);
  const selected = new Set(m.positions);
  const untouched = ids.every((id, i) => m.inputIds[i] === id || selected.has(i));
  assert.ok(untouched, 'only selected positions change');
});

test('packing fills [CLS] A [SEP] B [SEP] from whole lines, in order, with type ids and mask', () => {
  const lines = [[10, 11, 12], [13, 14], [15], [16, 17, 18, 19, 20, 21, 22, 23, 24], [25, 26]];
  const p = packSequences(lines, {
    length: 10,
    clsId: 2,
    sepId: 3,
    padId: 0,
    random: seededRandom(1),
  });
  const rows = Array.from({ length: p.count }, (_, r) => ({
    ids: Array.from(p.inputIds.subarray(r * 10, r * 10 + 10)),
    types: Array.from(p.tokenTypeIds.subarray(r * 10, r * 10 + 10)),
    mask: Array.from(p.attentionMask.subarray(r * 10, r * 10 + 10)),
  }));
  const content: number[] = [];
  for (const row of rows) {
    const n = row.mask.filter((x) => x === 1).length;
    assert.equal(row.ids[0], 2);
    assert.equal(row.ids[n - 1], 3);
    assert.ok(row.ids.slice(n).every((x) => x === 0) && row.mask.slice(0, n).every((x) => x === 1));
    const firstSep = row.ids.indexOf(3);
    // Type 0 up to and including the first [SEP], type 1 after it.
    row.types.slice(0, n).forEach((t, j) => {
      assert.equal(t, j <= firstSep ? 0 : 1);
    });
    content.push(...row.ids.slice(1, n).filter((x) => x !== 3));
  }
  // The 9-token line is cut to the 7-token budget (length − 3); everything else is kept in order.
  assert.deepEqual(content, [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 25, 26]);
});

function smokeOptions(
  work: string,
  out: string,
  overrides: Partial<PretrainOptions> = {},
): PretrainOptions {
  const corpus = join(dir, 'corpus.txt');
  const subjects = ['the cat', 'a dog', 'my friend', 'the old king', 'her brother'];
  const verbs = ['sees', 'likes', 'follows', 'loves', 'finds'];
  const lines: string[] = [];
  for (let i = 0; i < 80; i++)
    lines.push(`${subjects[i % 5]} ${verbs[(i * 3) % 5]} ${subjects[(i * 7 + 1) % 5]} .`);
  writeFileSync(corpus, `${lines.join('\n')}\n`);
  return {
    corpusFiles: [corpus],
    outputDir: out,
    workDir: work,
    vocabSize: 80,
    hiddenSize: 16,
    numLayers: 1,
    numHeads: 2,
    intermediateSize: 32,
    maxPositions: 32,
    sequenceLength: 16,
    batchSize: 8,
    steps: 6,
    learningRate: 5e-3,
    warmupSteps: 1,
    weightDecay: 0.01,
    maskRate: 0.15,
    maskedLMWeight: 1,
    contrastiveWeight: 0,
    contrastiveBatchSize: 4,
    contrastiveTemperature: 0.05,
    sentenceLength: 16,
    embeddingInit: 'cooccurrence',
    embeddingStd: 0.02,
    freezeWordEmbeddings: false,
    classifierPooling: 'mean',
    seed: 3,
    checkpointEvery: 2,
    logEvery: 2,
    outputDtype: 'F16',
    ...overrides,
  };
}

test('pretraining writes a HF-layout model that loads as a classifier, and learns', async () => {
  const out = join(dir, 'model');
  const r = await pretrainMaskedLM(
    smokeOptions(join(dir, 'work'), out, { steps: 40, logEvery: 10 }),
  );
  assert.equal(r.losses.length, 4);
  const first = r.losses[0]?.loss as number;
  const last = r.losses[3]?.loss as number;
  assert.ok(last < first - 0.5, `loss ${first} → ${last}`);
  const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
  assert.equal(config.model_type, 'bert');
  assert.deepEqual(config.architectures, ['BertForMaskedLM']);
  // The pooling the recipe chose reaches config.json and every classifier loaded from it.
  assert.equal(config.classifier_pooling, 'mean');
  const loaded = loadPretrainedEncoder(out, { numLabels: 2 });
  assert.equal(loaded.config.classifierPooling, 'mean');
  assert.deepEqual(loaded.missing.sort(), [
    'bert.pooler.dense.bias',
    'bert.pooler.dense.weight',
    'classifier.bias',
    'classifier.weight',
  ]);
  assert.ok(loaded.unexpected.every((n) => n.startsWith('cls.predictions.')));
  assert.ok(loaded.unexpected.includes('cls.predictions.bias'));
  assert.equal(loaded.tokenizer.vocabSize, config.vocab_size);
  loaded.model.dispose();
});

test('a run interrupted after a checkpoint resumes to exactly the uninterrupted result', async () => {
  const straight = smokeOptions(join(dir, 'w1'), join(dir, 'm1'));
  await pretrainMaskedLM(straight);
  const broken = smokeOptions(join(dir, 'w2'), join(dir, 'm2'));
  await assert.rejects(
    pretrainMaskedLM({
      ...broken,
      onProgress: (p) => {
        if (p.step === 5) throw new Error('killed');
      },
    }),
    /killed/,
  );
  const resumedSteps: number[] = [];
  await pretrainMaskedLM({ ...broken, onProgress: (p) => resumedSteps.push(p.step) });
  assert.deepEqual(resumedSteps, [5, 6]);
  assert.deepEqual(
    readFileSync(join(dir, 'm2', 'model.safetensors')),
    readFileSync(join(dir, 'm1', 'model.safetensors')),
  );
  await assert.rejects(pretrainMaskedLM({ ...broken, learningRate: 1e-3 }), /other options/);
});

test('with the contrastive objective the pooler is trained, saved and loaded, and a resumed run is exact', async () => {
  const o = (work: string, out: string) =>
    smokeOptions(join(dir, work), join(dir, out), { contrastiveWeight: 1, steps: 8, logEvery: 4 });
  const straight = await pretrainMaskedLM(o('c1', 'cm1'));
  for (const record of straight.losses) {
    assert.ok(Number.isFinite(record.maskedLM) && Number.isFinite(record.contrastive));
    const total = (record.maskedLM as number) + (record.contrastive as number);
    assert.ok(Math.abs(record.loss - total) < 1e-4, 'loss = masked-LM + 1 × contrastive');
  }
  const loaded = loadPretrainedEncoder(join(dir, 'cm1'), { numLabels: 2 });
  assert.deepEqual(loaded.missing.sort(), ['classifier.bias', 'classifier.weight']);
  loaded.model.dispose();
  await assert.rejects(
    pretrainMaskedLM({
      ...o('c2', 'cm2'),
      onProgress: (p) => {
        if (p.step === 3) throw new Error('killed');
      },
    }),
    /killed/,
  );
  await pretrainMaskedLM(o('c2', 'cm2'));
  assert.deepEqual(
    readFileSync(join(dir, 'cm2', 'model.safetensors')),
    readFileSync(join(dir, 'cm1', 'model.safetensors')),
  );
});

test('the contrastive objective alone trains (the unused masked-LM head gets no gradient)', async () => {
  const r = await pretrainMaskedLM(
    smokeOptions(join(dir, 'c3'), join(dir, 'cm3'), {
      maskedLMWeight: 0,
      contrastiveWeight: 1,
      steps: 4,
    }),
  );
  for (const record of r.losses) {
    assert.equal(record.maskedLM, undefined);
    assert.equal(record.loss, record.contrastive);
  }
});

test('bomf pretrain validates its numeric options by name', () => {
  const cli = {
    out: 'x',
    corpus: ['c.txt'],
    vocabSize: '100',
    hiddenSize: '16',
    layers: '1',
    heads: '2',
    intermediateSize: '32',
    maxPositions: '32',
    seqLength: '16',
    batchSize: 'eight',
    steps: '2',
    lr: '0.001',
    warmupSteps: '0',
    weightDecay: '0',
    maskRate: '0.15',
    maskedLmWeight: '1',
    contrastiveWeight: '1',
    contrastiveBatchSize: '4',
    contrastiveTemperature: '0.05',
    sentenceLength: '16',
    embeddingInit: 'cooccurrence' as EmbeddingInit,
    embeddingStd: '0.02',
    freezeWordEmbeddings: false,
    classifierPooling: 'mean' as const,
    seed: '1',
    checkpointEvery: '1',
    logEvery: '1',
    dtype: 'F16' as const,
    backend: 'wasm' as const,
  };
  assert.throws(
    () => pretrainOptionsFromCli(cli),
    /--batch-size must be a non-negative integer \(got 'eight'\)/,
  );
  const parsed = pretrainOptionsFromCli({ ...cli, batchSize: '8' });
  assert.equal(parsed.workDir, 'x.pretrain-work');
  assert.equal(parsed.classifierPooling, 'mean');
  assert.throws(
    () => pretrainOptionsFromCli({ ...cli, batchSize: '8', embeddingStd: '-1' }),
    /--embedding-std must be a non-negative number \(got '-1'\)/,
  );
  assert.throws(
    () => pretrainOptionsFromCli({ ...cli, batchSize: '8', embeddingInit: 'word-vectors' }),
    /--embedding-init word-vectors needs --word-vectors <file>/,
  );
});

test("bomf pretrain's default corpus and word vectors are the package's files, whatever the working directory", () => {
  const program = new Command();
  registerPretrainCommand(program);
  const pretrain = program.commands.find((c) => c.name() === 'pretrain')!;
  const defaultOf = (flag: string) =>
    pretrain.options.find((o) => o.long === flag)!.defaultValue as string | string[];
  const files = [...(defaultOf('--corpus') as string[]), defaultOf('--word-vectors') as string];
  assert.equal(files.length, 3);
  const cwd = process.cwd();
  process.chdir(dir); // a folder without assets/: relative defaults would not resolve here
  try {
    for (const file of files) assert.ok(existsSync(file), `${file} does not exist from ${dir}`);
  } finally {
    process.chdir(cwd);
  }
});

test('pretraining starts the word embeddings from a word-vector file (GloVe text format)', async () => {
  // 8-dimensional vectors for most of the smoke corpus's words (the rest, like word pieces, get
  // their co-occurrence rows mapped: word-vectors.test.ts checks that part).
  const words = [
    'the',
    'cat',
    'a',
    'dog',
    'my',
    'friend',
    'old',
    'her',
    'brother',
    'sees',
    'likes',
  ];
  const random = seededRandom(mixSeed(3));
  const vectors = new Map(words.map((w) => [w, Array.from({ length: 8 }, () => random() - 0.5)]));
  const file = join(dir, 'vectors.txt');
  writeFileSync(file, [...vectors].map(([w, v]) => `${w} ${v.join(' ')}\n`).join(''));
  const out = join(dir, 'wv-model');
  const o = {
    steps: 0,
    embeddingInit: 'word-vectors' as const,
    wordVectors: file,
    embeddingStd: 0.05,
  };
  await pretrainMaskedLM(smokeOptions(join(dir, 'wv-work'), out, o));
  const loaded = loadPretrainedEncoder(out, { numLabels: 2 });
  const table = readSafetensors(join(out, 'model.safetensors')).tensors.get(
    'bert.embeddings.word_embeddings.weight',
  )!;
  const row = (w: string) => {
    const id = loaded.tokenizer.tokenToId(w)!;
    return table.data.subarray(id * 16, id * 16 + 8);
  };
  // Every known word the vocabulary holds whole has its vector times one common scale in its
  // first 8 entries (F16-rounded).
  const whole = [...vectors.keys()].filter((w) => loaded.tokenizer.tokenToId(w) !== undefined);
  assert.ok(whole.length >= 6, `whole words: ${whole}`);
  const scale = row('the')[0]! / vectors.get('the')![0]!;
  assert.ok(scale > 0);
  for (const w of whole)
    vectors.get(w)!.forEach((x, k) => {
      assert.ok(Math.abs(row(w)[k]! - x * scale) < 2e-3 * scale, `${w}[${k}]`);
    });
  loaded.model.dispose();
});

test('--freeze-word-embeddings keeps the word embeddings at their start while the layers train', async () => {
  const tensors = async (name: string, overrides: Partial<PretrainOptions>) => {
    const out = join(dir, `${name}-model`);
    await pretrainMaskedLM(smokeOptions(join(dir, `${name}-work`), out, overrides));
    return readSafetensors(join(out, 'model.safetensors')).tensors;
  };
  const start = await tensors('freeze0', { steps: 0 });
  const frozen = await tensors('freeze3', { steps: 3, freezeWordEmbeddings: true });
  const free = await tensors('free3', { steps: 3 });
  const words = 'bert.embeddings.word_embeddings.weight';
  const query = 'bert.encoder.layer.0.attention.self.query.weight';
  const same = (a: Float32Array, b: Float32Array) => a.every((x, i) => x === b[i]);
  assert.ok(same(frozen.get(words)!.data, start.get(words)!.data), 'frozen: words unchanged');
  assert.ok(!same(frozen.get(query)!.data, start.get(query)!.data), 'frozen: layers trained');
  assert.ok(!same(free.get(words)!.data, start.get(words)!.data), 'not frozen: words trained');
});

test('`bomf pretrain` runs the recipe machinery end to end (smoke: 3 steps on a tiny corpus)', async () => {
  const o = smokeOptions(join(dir, 'cli-work'), join(dir, 'cli-model'));
  const program = new Command('bomf').exitOverride();
  registerPretrainCommand(program);
  const printed: string[] = [];
  const log = console.log;
  console.log = (line: string) => printed.push(line);
  try {
    await program.parseAsync(
      ['pretrain', '--out', o.outputDir, '--corpus', ...o.corpusFiles, '--vocab-size', '80']
        .concat([
          '--hidden-size',
          '16',
          '--layers',
          '1',
          '--heads',
          '2',
          '--intermediate-size',
          '32',
        ])
        .concat([
          '--max-positions',
          '32',
          '--seq-length',
          '16',
          '--batch-size',
          '4',
          '--steps',
          '3',
        ])
        // The recipe's GloVe vectors have 100 dimensions, more than this model's 16.
        .concat(['--embedding-init', 'cooccurrence', '--backend', 'wasm', '--json']),
      { from: 'user' },
    );
  } finally {
    console.log = log;
  }
  const events = printed.map((l) => JSON.parse(l));
  assert.deepEqual(
    events.filter((e) => e.type === 'progress').map((e) => e.step),
    [1, 2, 3],
  );
  assert.equal(events.at(-1).type, 'done');
  const loaded = loadPretrainedEncoder(o.outputDir, { numLabels: 3 });
  assert.equal(loaded.config.hiddenSize, 16);
  loaded.model.dispose();
});
