/**
 * Where `model.source` points: 'embedded' (the encoder shipped in assets/), a
 * Hugging Face model folder, or a previous run's folder (its fused model).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { embeddedModelDir } from '../package-root';

export function resolveModelSource(source: string, baseDir: string): string {
  if (source === 'embedded') {
    const dir = embeddedModelDir();
    if (!fs.existsSync(path.join(dir, 'config.json'))) {
      throw new Error(
        `the embedded model is missing from ${dir}; reinstall BOMF Studio or run \`bomf pretrain\``,
      );
    }
    return dir;
  }
  const dir = path.resolve(baseDir, source);
  if (fs.existsSync(path.join(dir, 'config.json'))) return dir;
  const fused = path.join(dir, 'fused');
  if (fs.existsSync(path.join(fused, 'config.json'))) return fused;
  throw new Error(
    `model.source '${source}': ${dir} has no config.json (expected a Hugging Face model folder or a finished run folder with fused/)`,
  );
}
