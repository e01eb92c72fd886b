/**
 * Writes a fused model as a loadable model folder (config.json, model.safetensors,
 * tokenizer files, fusion.json with members and weights). It is staged beside the
 * target and renamed, so the folder is either complete or absent; a non-empty target is refused
 * unless it is an earlier fused export.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../train/atomic-write';
import { COSINE_REGRESSOR, type EncoderConfig, type PairEncoding } from '../train/model';
import { savePretrainedEncoder } from '../train/model/pretrained';
import type { NamedTensors } from '../train/named-tensors';
import type { WritableDtype } from '../train/safetensors';
import type { Tokenizer } from '../train/tokenizer';
import { FUSION_RECORD, writeDirAtomic } from './stream';

export interface FusedModelSpec {
  weights: NamedTensors;
  config: EncoderConfig;
  numLabels: number;
  tokenizer: Tokenizer;
  /** Provenance written to fusion.json. */
  members: string[];
  fusionWeights: number[];
  dtype?: WritableDtype;
  labelNames?: string[];
  problemType?: string;
}

export async function writeFusedModel(dir: string, spec: FusedModelSpec): Promise<void> {
  await writeDirAtomic(
    dir,
    (staging) => {
      savePretrainedEncoder(
        staging,
        { config: spec.config, numLabels: spec.numLabels, getWeights: () => spec.weights },
        spec.tokenizer,
        {
          dtype: spec.dtype,
          labelNames: spec.labelNames,
          problemType: spec.problemType,
        },
      );
      const provenance = {
        members: spec.members.map((m) => path.basename(m)),
        weights: spec.fusionWeights,
      };
      writeFileAtomic(
        path.join(staging, FUSION_RECORD),
        `${JSON.stringify(provenance, null, 2)}\n`,
      );
    },
    isFusedModelFolder,
  );
}

/**
 * A folder holding our provenance record is an earlier fused export (e.g. the run's `fused/`
 * written before a crash): it may be replaced; any other non-empty folder is refused.
 */
function isFusedModelFolder(dir: string): boolean {
  return fs.existsSync(path.join(dir, FUSION_RECORD));
}

/** Number of outputs of the classification head stored in a checkpoint. */
export function headSize(weights: NamedTensors): number {
  for (const name of [
    'classifier.weight',
    'classifier.out_proj.weight',
    `${COSINE_REGRESSOR}.weight`,
  ]) {
    const t = weights.get(name);
    if (t) return t.shape[0]!;
  }
  throw new Error(
    `the checkpoint has no classifier head (classifier.weight, classifier.out_proj.weight or ${COSINE_REGRESSOR}.weight)`,
  );
}

/** The pair encoding a checkpoint was trained with: its head says (the bi-encoder's cosine head, or not). */
export function pairEncodingOf(weights: NamedTensors): PairEncoding {
  return weights.has(`${COSINE_REGRESSOR}.weight`) ? 'bi' : 'cross';
}
