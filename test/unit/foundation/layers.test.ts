// The architecture rule of DEVELOPERS.md: a layer of src/ never imports a higher one,
// and bo/ and contract/ (the event log and dashboard protocol every layer above
// speaks) import nothing else of ours.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

const src = path.resolve(__dirname, '..', '..', '..', 'src');
/** Lower rank = lower layer. */
const RANK: Record<string, number> = {
  bo: 0,
  contract: 0,
  train: 1,
  fusion: 2,
  engine: 3,
  webview: 4,
  extension: 5,
};
/** Layers that stand alone: they import only themselves. */
const SELF_CONTAINED = new Set(['bo', 'contract']);

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|require\(\s*)['"](\.[^'"]*)['"]/g)) {
    found.push(m[1]!);
  }
  return found;
}

test('every folder of src/ is a known layer', () => {
  const layers = fs.readdirSync(src).filter((f) => fs.statSync(path.join(src, f)).isDirectory());
  assert.deepEqual(layers.sort(), Object.keys(RANK).sort());
});

test('no layer imports a higher layer', () => {
  const violations: string[] = [];
  for (const layer of Object.keys(RANK)) {
    const files = fs
      .readdirSync(path.join(src, layer), { recursive: true })
      .map(String)
      .filter((f) => /\.tsx?$/.test(f));
    for (const rel of files) {
      const file = path.join(src, layer, rel);
      for (const spec of importsOf(file)) {
        const target = path
          .relative(src, path.resolve(path.dirname(file), spec))
          .split(path.sep)[0]!;
        if (!(target in RANK)) continue;
        const allowed = SELF_CONTAINED.has(layer)
          ? target === layer
          : RANK[target]! <= RANK[layer]!;
        if (!allowed) violations.push(`src/${layer}/${rel} imports ${spec} (layer ${target})`);
      }
    }
  }
  assert.deepEqual(violations, []);
});
