/**
 * Exports what bench/pretrain-ablation/ablation.py needs to replay the bomf-tiny recipe in
 * PyTorch: the packed pre-training sequences and the co-occurrence embeddings exactly as
 * `bomf pretrain` builds them (same tokenizer, packing seed and SVD seed), and SST-2 / RTE
 * tokenised as the pretrained-vs-random bench loads them.
 *
 *   npx tsx bench/pretrain-ablation/export.ts <out dir> [corpus files…] [--vocab-size N] [--adapt-corpus FILE…]
 *       [--word-vectors FILE] [--hidden-size N]
 *
 * Corpus files, when given, replace the recipe's (for corpus ablations, round 7 of
 * docs/model-card.md); the tokenizer, the packing and the embeddings are then theirs.
 * `--vocab-size` replaces the recipe's WordPiece vocabulary size (round 8). `--adapt-corpus`
 * (repeatable) also packs these files, with the same tokenizer, for a second masked-LM phase
 * on in-domain text (ablation.py --mlm-corpus adapt; round 9). Both starting tables are written:
 * the co-occurrence one and the word-vector one (round 10; `--word-vectors` replaces the
 * recipe's GloVe file, which only holds the words of its own vocabulary). `--hidden-size` replaces
 * the recipe's width: the starting tables get that many columns, and ablation.py builds its
 * encoder at the width meta.json names (round 11).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BOMF_TINY_RECIPE as r } from '../../src/engine/commands/pretrain';
import { loadDataset } from '../../src/train/data';
import {
  initialWordEmbeddings,
  packCorpus,
  readCorpusLines,
  specialIds,
  wordVectorTable,
} from '../../src/train/pretrain';
import { trainWordPiece } from '../../src/train/tokenizer';
import { TASKS } from '../pretrained-vs-random.bench';

const ROOT = join(__dirname, '..', '..');
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    'vocab-size': { type: 'string', default: String(r.vocabSize) },
    'adapt-corpus': { type: 'string', multiple: true, default: [] },
    'word-vectors': { type: 'string' },
    'hidden-size': { type: 'string', default: String(r.hiddenSize) },
  },
});
const [out, ...corpus] = positionals;
if (out === undefined)
  throw new Error(
    'usage: export.ts <out dir> [corpus files…] [--vocab-size N] [--adapt-corpus FILE…] [--word-vectors FILE] [--hidden-size N]',
  );
mkdirSync(out, { recursive: true });

const lines = readCorpusLines(corpus.length > 0 ? corpus : r.corpus.map((f) => join(ROOT, f)));
const tok = trainWordPiece(lines, { vocabSize: Number(values['vocab-size']) });
tok.save(out); // vocab.txt names the tables' rows (assets/corpus/build-word-vectors.py reads it)
const data = packCorpus(tok, lines, r);
writeFileSync(join(out, 'packed-ids.i32'), data.inputIds);
writeFileSync(join(out, 'packed-types.i32'), data.tokenTypeIds);
const hiddenSize = Number(values['hidden-size']);
// ablation.py --embeddings-scale scales from 0.02
const init = { ...r, hiddenSize, embeddingStd: 0.02 };
const cooccurrence = initialWordEmbeddings(tok, data, { ...init, embeddingInit: 'cooccurrence' });
writeFileSync(join(out, 'cooccurrence-embeddings.f32'), cooccurrence);
const wordVectors = values['word-vectors'] ?? join(ROOT, r.wordVectors);
writeFileSync(
  join(out, 'word-vectors-embeddings.f32'),
  wordVectorTable(tok, cooccurrence, wordVectors, init),
);
const adapt =
  values['adapt-corpus'].length > 0
    ? packCorpus(tok, readCorpusLines(values['adapt-corpus']), r)
    : null;
if (adapt !== null) {
  writeFileSync(join(out, 'adapt-ids.i32'), adapt.inputIds);
  writeFileSync(join(out, 'adapt-types.i32'), adapt.tokenTypeIds);
}
// Single corpus lines for the sentence-level objective: [CLS] line [SEP], flat, with offsets.
const lineIds = lines.map((l) => tok.encode(l, undefined, 32).inputIds);
const offsets = [0];
for (const ids of lineIds) offsets.push((offsets.at(-1) as number) + ids.length);
writeFileSync(join(out, 'line-ids.i32'), Int32Array.from(lineIds.flat()));
writeFileSync(join(out, 'line-offsets.i32'), Int32Array.from(offsets));
writeFileSync(
  join(out, 'meta.json'),
  JSON.stringify({
    sequences: data.count,
    adaptSequences: adapt?.count ?? 0,
    length: data.length,
    vocabSize: tok.vocabSize,
    hiddenSize,
    pad: tok.padId,
    cls: tok.clsId,
    sep: tok.sepId,
    mask: tok.maskId,
    specials: [...specialIds(tok)],
  }),
);
// The main job's SST-2 subset (examples/sst2-quick.bomf.yaml: seed 0, 3,000 training
// sentences, 400 validation carved from train, the 872 of GLUE dev as test).
const mainJob = {
  spec: { ...TASKS['SST-2'].spec, limit: { train: 3000, validation: 400 }, seed: 0 },
  hp: TASKS['SST-2'].hp,
};
for (const [name, { spec, hp }] of [...Object.entries(TASKS), ['SST-2-main', mainJob] as const]) {
  const d = loadDataset(spec, ROOT);
  const encode = (xs: typeof d.train) =>
    xs.map((x) => {
      const e = tok.encode(x.text, x.pair, 128);
      return [e.inputIds, e.tokenTypeIds, x.label];
    });
  writeFileSync(
    join(out, `${name}.json`),
    JSON.stringify({
      batchSize: hp.batchSize,
      epochs: hp.epochs,
      train: encode(d.train),
      validation: encode(d.validation),
      test: encode(d.test),
    }),
  );
}
console.log(`${data.count} sequences, vocabulary ${tok.vocabSize} → ${out}`);
