/**
 * The model check of `bomf validate`: a model folder's config.json must describe an encoder the
 * engine can build, with every field that fixes a weight's shape (else a missing hidden_size
 * surfaces much later as "shape [128], the model expects [768]").
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { encoderConfigFromHF } from '../../train/model';
import { readModelConfig } from '../../train/model/pretrained';
import { resolveModelSource } from '../lab/model-source';
import type { ExperimentConfig } from './schema';
import type { SemanticIssue } from './semantics';

export function checkModel(config: ExperimentConfig, baseDir: string): SemanticIssue[] {
  const source = config.model.source;
  // The embedded model ships with BOMF Studio; a missing folder is checkFiles' message.
  if (source === 'embedded' || !fs.existsSync(path.resolve(baseDir, source))) return [];
  try {
    const dir = resolveModelSource(source, baseDir);
    encoderConfigFromHF(readModelConfig(dir), path.join(dir, 'config.json'));
    return [];
  } catch (err) {
    return [{ path: ['model', 'source'], severity: 'error', message: (err as Error).message }];
  }
}
