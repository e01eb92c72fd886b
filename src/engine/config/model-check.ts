/**
 * The model check of `bomf validate`: a model folder's config.json must describe an encoder the
 * engine can build, with every field that fixes a weight's shape (else a missing hidden_size
 * surfaces much later as "shape [128], the model expects [768]"), and its weights and tokenizer
 * files must be there.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { encoderConfigFromHF } from '../../train/model';
import { readModelConfig, WEIGHT_FILES } from '../../train/model/pretrained';
import { TOKENIZER_FILES } from '../../train/tokenizer/load';
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
    for (const [what, names] of [
      ['weights', WEIGHT_FILES],
      ['tokenizer', TOKENIZER_FILES],
    ] as const) {
      if (!names.some((n) => fs.existsSync(path.join(dir, n))))
        throw new Error(`${dir} has no ${what}: ${names.join(' or ')} is expected`);
    }
    return [];
  } catch (err) {
    return [{ path: ['model', 'source'], severity: 'error', message: (err as Error).message }];
  }
}
