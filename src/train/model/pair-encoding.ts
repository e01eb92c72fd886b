/**
 * Which pair encoding a run uses (`model.pairEncoding` in the experiment config), kept free of
 * TF.js so that config validation in the editor can name a refusal without loading a backend.
 */
import type { PairEncoding } from './config';

/** What a config's `model.pairEncoding` may say: a form, or `auto` to pick by the task. */
export type PairEncodingSetting = PairEncoding | 'auto';

/**
 * The pair encoding a run uses. `auto` picks the bi-encoder for regression on sentence pairs
 * (STS-B: Pearson 0.58–0.64 against the cross-encoder's 0.08 in the replay) and the
 * cross-encoder otherwise (the replay's bi form did not help MRPC or RTE, so none is built for
 * classification). `bi` is refused where it has no head: classification, or single sentences.
 * @param field - the config field named in the refusal.
 */
export function resolvePairEncoding(
  setting: PairEncodingSetting,
  task: 'classification' | 'regression',
  hasPairs: boolean,
  field = 'model.pairEncoding',
): PairEncoding {
  if (setting === 'auto') return task === 'regression' && hasPairs ? 'bi' : 'cross';
  if (setting === 'bi') {
    const why = biRefusal(task, hasPairs);
    if (why !== undefined) throw new Error(`${field}: ${why}`);
  }
  return setting;
}

/** Why `bi` cannot run on this task, or undefined when it can. */
export function biRefusal(
  task: 'classification' | 'regression',
  hasPairs: boolean,
): string | undefined {
  if (task === 'classification')
    return "'bi' (cosine of separately encoded sentences) is built for regression tasks only; use 'cross' or 'auto' for classification";
  if (!hasPairs)
    return "'bi' encodes the two sentences of a pair separately, but the data has no second text column (data.textPair)";
  return undefined;
}
