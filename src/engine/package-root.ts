/**
 * The folder of this package (where package.json, examples/ and assets/ are),
 * found from the running code: dist/engine.js in a build or the packaged
 * extension, src/engine/*.ts under tsx in tests.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

let cached: string | undefined;

export function packageRoot(): string {
  if (cached) return cached;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (
      fs.existsSync(manifest) &&
      JSON.parse(fs.readFileSync(manifest, 'utf8')).name === 'bomf-studio'
    ) {
      cached = dir;
      return dir;
    }
    if (path.dirname(dir) === dir)
      throw new Error(`cannot find the bomf-studio package folder above ${__dirname}`);
  }
}

/** The small pre-trained encoder shipped with the product (model.source: embedded). */
export function embeddedModelDir(): string {
  return path.join(packageRoot(), 'assets', 'models', 'bomf-tiny');
}

export function examplesDir(): string {
  return path.join(packageRoot(), 'examples');
}
