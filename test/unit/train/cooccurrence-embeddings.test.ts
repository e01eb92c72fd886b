import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Random } from '../../../src/bo';
import {
  cooccurrenceCounts,
  cooccurrenceEmbeddings,
  positivePmi,
} from '../../../src/train/pretrain/cooccurrence-embeddings';
import type { PackedSequences } from '../../../src/train/pretrain/packing';
import {
  type CsrMatrix,
  randomizedSvd,
  symmetricEigen,
} from '../../../src/train/pretrain/randomized-svd';

function denseToCsr(dense: number[][]): CsrMatrix {
  const rowStart = [0];
  const colIndex: number[] = [];
  const values: number[] = [];
  for (const row of dense) {
    row.forEach((x, c) => {
      if (x !== 0) {
        colIndex.push(c);
        values.push(x);
      }
    });
    rowStart.push(colIndex.length);
  }
  return {
    rows: dense.length,
    cols: dense[0]!.length,
    rowStart: Int32Array.from(rowStart),
    colIndex: Int32Array.from(colIndex),
    values: Float64Array.from(values),
  };
}

function csrToDense(a: CsrMatrix): number[][] {
  const out = Array.from({ length: a.rows }, () => new Array<number>(a.cols).fill(0));
  for (let r = 0; r < a.rows; r++)
    for (let p = a.rowStart[r]!; p < a.rowStart[r + 1]!; p++)
      out[r]![a.colIndex[p]!] = a.values[p]!;
  return out;
}

/** A random orthonormal basis [n × k] (column-major list of columns) by Gram–Schmidt. */
function orthonormalColumns(n: number, k: number, random: Random): number[][] {
  const cols: number[][] = [];
  while (cols.length < k) {
    const v = Array.from({ length: n }, () => random.normal());
    for (const c of cols) {
      const dot = v.reduce((s, x, i) => s + x * c[i]!, 0);
      for (let i = 0; i < n; i++) v[i]! -= dot * c[i]!;
    }
    const norm = Math.hypot(...v);
    cols.push(v.map((x) => x / norm));
  }
  return cols;
}

function packed(rows: number[][], length: number): PackedSequences {
  const inputIds = new Int32Array(rows.length * length);
  rows.forEach((r, i) => {
    inputIds.set(r, i * length);
  });
  return {
    length,
    count: rows.length,
    inputIds,
    tokenTypeIds: new Int32Array(inputIds.length),
    attentionMask: Int32Array.from(inputIds, (x) => (x === 0 ? 0 : 1)),
  };
}

test('symmetric eigen-decomposition: A·v = λ·v, orthonormal vectors, descending values', () => {
  const random = new Random(4);
  const n = 7;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) a[i * n + j] = a[j * n + i] = random.normal();
  const { values, vectors } = symmetricEigen(a, n);
  for (let k = 0; k < n; k++) {
    if (k > 0) assert.ok(values[k - 1]! >= values[k]!);
    for (let i = 0; i < n; i++) {
      let av = 0;
      for (let j = 0; j < n; j++) av += a[i * n + j]! * vectors[j * n + k]!;
      assert.ok(Math.abs(av - values[k]! * vectors[i * n + k]!) < 1e-10);
    }
    for (let l = 0; l < n; l++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += vectors[i * n + k]! * vectors[i * n + l]!;
      assert.ok(Math.abs(dot - (k === l ? 1 : 0)) < 1e-10);
    }
  }
});

test('randomized SVD recovers the singular values and vectors of a known low-rank matrix', () => {
  const random = new Random(11);
  const [rows, cols, rank] = [40, 30, 5];
  const u = orthonormalColumns(rows, rank, random);
  const v = orthonormalColumns(cols, rank, random);
  const sigma = [9, 5, 3, 1.5, 0.5];
  const dense = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) =>
      sigma.reduce((s, sk, k) => s + sk * u[k]![i]! * v[k]![j]!, 0),
    ),
  );
  const svd = randomizedSvd(denseToCsr(dense), 3, { normal: () => random.normal() });
  assert.deepEqual(
    Array.from(svd.s, (x) => x.toFixed(9)),
    sigma.slice(0, 3).map((x) => x.toFixed(9)),
  );
  for (let k = 0; k < 3; k++) {
    // Singular vectors are defined up to sign.
    const dot = u[k]!.reduce((s, x, i) => s + x * svd.u[i * 3 + k]!, 0);
    assert.ok(Math.abs(Math.abs(dot) - 1) < 1e-9, `column ${k}: |cos| = ${Math.abs(dot)}`);
  }
});

test('co-occurrence counts are symmetric, windowed, per sequence, and skip special ids', () => {
  // [CLS]=1 … [SEP]=2, padding 0; windows never cross sequences.
  const data = packed(
    [
      [1, 5, 6, 7, 2, 0],
      [1, 7, 5, 2, 0, 0],
    ],
    6,
  );
  const counts = csrToDense(
    cooccurrenceCounts(data, { vocabSize: 8, window: 2, skipIds: new Set([0, 1, 2]) }),
  );
  const expected = Array.from({ length: 8 }, () => new Array<number>(8).fill(0));
  for (const [a, b] of [
    [5, 6],
    [6, 7],
    [5, 7], // 2 apart in the first sequence
    [7, 5], // the second sequence
  ] as const) {
    expected[a]![b]! += 1;
    expected[b]![a]! += 1;
  }
  assert.deepEqual(counts, expected);
});

test('positive PMI matches the formula with the smoothed context marginal, and drops ≤ 0', () => {
  const counts = denseToCsr([
    [0, 4, 1],
    [4, 0, 2],
    [1, 2, 0],
  ]);
  const ppmi = csrToDense(positivePmi(counts, 0.75));
  const row = [5, 6, 3];
  const total = 14;
  const smoothed = row.map((c) => c ** 0.75);
  const z = smoothed.reduce((s, x) => s + x, 0);
  const pmi = (r: number, c: number, n: number) =>
    Math.log(n / total / ((row[r]! / total) * (smoothed[c]! / z)));
  const cells: [number, number, number][] = [
    [0, 1, 4],
    [0, 2, 1],
    [1, 0, 4],
    [1, 2, 2],
    [2, 0, 1],
    [2, 1, 2],
  ];
  for (const [r, c, n] of cells) {
    const expected = Math.max(0, pmi(r, c, n));
    assert.ok(Math.abs(ppmi[r]![c]! - expected) < 1e-12, `(${r}, ${c})`);
  }
  assert.ok(cells.some(([r, c, n]) => pmi(r, c, n) <= 0 && ppmi[r]![c] === 0));
});

test('tokens with the same contexts get the same direction; unseen tokens get random rows', () => {
  // Tokens 10 and 11 are interchangeable (each appears between 20 and 21); 12 never occurs.
  const rows: number[][] = [];
  const random = new Random(2);
  for (let i = 0; i < 60; i++) {
    const filler = 13 + random.integer(6);
    rows.push([1, 20, i % 2 === 0 ? 10 : 11, 21, filler, 2]);
  }
  const table = cooccurrenceEmbeddings(packed(rows, 6), {
    vocabSize: 22,
    dimensions: 4,
    window: 1,
    skipIds: new Set([0, 1, 2]),
    std: 0.02,
    normal: () => random.normal(),
  });
  const vec = (id: number) => Array.from(table.subarray(id * 4, id * 4 + 4));
  const cosine = (a: number[], b: number[]) =>
    a.reduce((s, x, i) => s + x * b[i]!, 0) / (Math.hypot(...a) * Math.hypot(...b));
  assert.ok(cosine(vec(10), vec(11)) > 0.99, `cos(10, 11) = ${cosine(vec(10), vec(11))}`);
  assert.ok(Math.abs(cosine(vec(10), vec(20))) < 0.99);
  // Unseen and special ids: non-zero random rows at the table's scale.
  for (const id of [0, 1, 12]) assert.ok(vec(id).every((x) => x !== 0 && Math.abs(x) < 0.2));
  const seen = [10, 11, 13, 14, 15, 16, 17, 18, 20, 21].flatMap(vec);
  const rms = Math.sqrt(seen.reduce((s, x) => s + x * x, 0) / seen.length);
  assert.ok(Math.abs(rms - 0.02) < 1e-6, `rms ${rms}`);
});
