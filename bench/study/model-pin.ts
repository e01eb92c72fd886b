/**
 * A study must use one model for all its cells, but the embedded model can be
 * replaced while a long study runs (a new pre-training lands in assets/). So on
 * its first run a study copies the model it was given into its own folder and
 * every cell, including resumed ones, reads that copy.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveModelSource } from '../../src/engine/lab/model-source';
import type { StudyConfig } from './config';

export interface PinnedModel {
  /** Absolute folder of the copy the cells use. */
  dir: string;
  /** Where it was copied from: 'embedded' or a folder. */
  source: string;
  /** First 16 hex digits of the SHA-256 of its model.safetensors. */
  sha256: string;
}

/** First 16 hex digits of the SHA-256 of a model folder's model.safetensors. */
export function modelFingerprint(dir: string): string {
  const hash = createHash('sha256');
  hash.update(fs.readFileSync(path.join(dir, 'model.safetensors')));
  return hash.digest('hex').slice(0, 16);
}

/** The study's own copy of its model, made on first use (copied to a temp name, then renamed). */
export function pinModel(study: StudyConfig): PinnedModel {
  const dir = path.join(study.dir, 'model');
  if (!fs.existsSync(path.join(dir, 'config.json'))) {
    const from = resolveModelSource(study.model, path.dirname(study.file));
    const temp = `${dir}.partial`;
    fs.rmSync(temp, { recursive: true, force: true });
    fs.cpSync(from, temp, { recursive: true });
    fs.renameSync(temp, dir);
  }
  return { dir, source: study.model, sha256: modelFingerprint(dir) };
}
