/**
 * Word embeddings from pre-trained word vectors (GloVe, word2vec or fastText text format) for a
 * WordPiece vocabulary. A corpus the size this tool can pre-train on cannot teach what "tedious"
 * or "masterpiece" mean; vectors trained on billions of tokens already place such words, and
 * the model card's round 10 measured that starting from them lifts fine-tuning far more than
 * any masked-LM recipe did. Whole-word tokens the vectors know take their vector; word pieces
 * ("##ing") and unknown words take their co-occurrence row mapped into the vectors' space by a
 * least-squares fit on the tokens that have both, so that every row lives in one space.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { cholesky, choleskySolve } from '../../bo/linalg';
import type { Tokenizer } from '../tokenizer';

export interface WordVectors {
  /** The file the vectors were read from, named in the errors of what uses them. */
  source?: string;
  dimensions: number;
  vectors: Map<string, Float32Array>;
}

/**
 * Reads a word-vector text file (`.gz` allowed): one `word v1 … vD` line per word, as GloVe
 * ships them, optionally preceded by word2vec's `count dimensions` header. Only the words in
 * `wanted` are kept, so a 400,000-word file costs the memory of the vocabulary's words.
 */
export function readWordVectors(file: string, wanted: ReadonlySet<string>): WordVectors {
  let text: string;
  try {
    const bytes = readFileSync(file);
    text = (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  } catch (err) {
    throw new Error(`${file}: cannot read word vectors (${(err as Error).message})`);
  }
  const vectors = new Map<string, Float32Array>();
  let dimensions = 0;
  let start = 0;
  for (let line = 1; start < text.length; line++) {
    const end = text.indexOf('\n', start);
    const row = text.slice(start, end < 0 ? text.length : end).trimEnd();
    start = end < 0 ? text.length : end + 1;
    if (row.length === 0) continue;
    const fields = row.split(' ');
    if (line === 1 && fields.length === 2 && fields.every((f) => /^\d+$/.test(f))) continue;
    if (dimensions === 0) dimensions = fields.length - 1;
    if (fields.length - 1 !== dimensions || dimensions === 0)
      throw new Error(
        `${file}:${line}: expected a word and ${dimensions || 'some'} numbers, got ${fields.length} fields`,
      );
    const word = fields[0]!;
    if (!wanted.has(word) || vectors.has(word)) continue;
    const v = new Float32Array(dimensions);
    for (let k = 0; k < dimensions; k++) {
      v[k] = Number(fields[k + 1]);
      if (!Number.isFinite(v[k]!))
        throw new Error(
          `${file}:${line}: '${fields[k + 1]}' (value ${k + 1} of '${word}') is not a number`,
        );
    }
    vectors.set(word, v);
  }
  if (dimensions === 0) throw new Error(`${file}: no word vectors in it`);
  return { source: file, dimensions, vectors };
}

/** Words a WordPiece vocabulary holds whole: the tokens a word-vector file is asked for. */
export function wholeWordTokens(tok: Tokenizer, skipIds: ReadonlySet<number>): Set<string> {
  const words = new Set<string>();
  for (let id = 0; id < tok.vocabSize; id++) {
    const t = tok.idToToken(id);
    if (!skipIds.has(id) && !t.startsWith('##')) words.add(t);
  }
  return words;
}

/** Root mean square of the first `cols` entries of the given rows of a row-major table. */
function rms(table: ArrayLike<number>, width: number, rows: number[], cols = width): number {
  let sumSq = 0;
  for (const r of rows) for (let k = 0; k < cols; k++) sumSq += table[r * width + k]! ** 2;
  return rows.length > 0 && sumSq > 0 ? Math.sqrt(sumSq / (rows.length * cols)) : 1;
}

/** Ridge weight of the co-occurrence → word-vector fit, relative to XᵀX's mean diagonal. */
const RELATIVE_RIDGE = 1e-4;

/**
 * The word-embedding table [vocabSize × hidden]: in each regular token's row the first D
 * columns are its word vector (or its co-occurrence row mapped into that space), the other
 * hidden − D columns the co-occurrence row's leading components. Both blocks are scaled to
 * entries of root mean square `std`; special tokens keep their co-occurrence rows.
 */
export function wordVectorEmbeddings(
  tok: Tokenizer,
  cooccurrence: Float32Array,
  words: WordVectors,
  o: { hiddenSize: number; std: number; skipIds: ReadonlySet<number> },
): Float32Array {
  const h = o.hiddenSize;
  const d = words.dimensions;
  const from = words.source === undefined ? '' : `${words.source}: `;
  if (d > h)
    throw new Error(`${from}word vectors of ${d} dimensions do not fit a hidden size of ${h}`);
  const regular: number[] = [];
  const known: number[] = [];
  for (let id = 0; id < tok.vocabSize; id++) {
    if (o.skipIds.has(id)) continue;
    regular.push(id);
    const t = tok.idToToken(id);
    if (!t.startsWith('##') && words.vectors.has(t)) known.push(id);
  }
  if (known.length === 0)
    throw new Error(
      `${from}none of the vocabulary's ${regular.length} tokens has a word vector (another language or casing?)`,
    );
  // Normal equations (XᵀX + λI) M = XᵀY, X the known tokens' co-occurrence rows, Y their vectors.
  const xtx = new Float64Array(h * h);
  const xty = Array.from({ length: d }, () => new Float64Array(h));
  for (const id of known) {
    const x = cooccurrence.subarray(id * h, (id + 1) * h);
    const y = words.vectors.get(tok.idToToken(id))!;
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < h; j++) xtx[i * h + j]! += x[i]! * x[j]!;
      for (let k = 0; k < d; k++) xty[k]![i]! += x[i]! * y[k]!;
    }
  }
  let trace = 0;
  for (let i = 0; i < h; i++) trace += xtx[i * h + i]!;
  const chol = cholesky(xtx, h, (RELATIVE_RIDGE * trace) / h);
  if (chol === null) throw new Error('the co-occurrence rows of the known words are degenerate');
  const map = xty.map((column) => choleskySolve(chol, h, column)); // map[k][i] = M[i][k]
  const vectorBlock = new Float64Array(tok.vocabSize * d);
  const knownSet = new Set(known);
  for (const id of regular) {
    const row = vectorBlock.subarray(id * d, (id + 1) * d);
    if (knownSet.has(id)) row.set(words.vectors.get(tok.idToToken(id))!);
    else
      for (let k = 0; k < d; k++) {
        let s = 0;
        for (let i = 0; i < h; i++) s += cooccurrence[id * h + i]! * map[k]![i]!;
        row[k] = s;
      }
  }
  const vectorScale = o.std / rms(vectorBlock, d, known);
  const rest = h - d;
  const restScale = o.std / rms(cooccurrence, h, regular, rest);
  const out = Float32Array.from(cooccurrence);
  for (const id of regular) {
    for (let k = 0; k < d; k++) out[id * h + k] = vectorBlock[id * d + k]! * vectorScale;
    for (let k = 0; k < rest; k++) out[id * h + d + k] = cooccurrence[id * h + k]! * restScale;
  }
  return out;
}
