/**
 * The encoder's hyperparameters and their mapping to / from a Hugging Face
 * `config.json` (BertConfig / RobertaConfig keys).
 */

export interface EncoderConfig {
  modelType: 'bert' | 'roberta';
  vocabSize: number;
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  intermediateSize: number;
  maxPositions: number;
  typeVocabSize: number;
  layerNormEps: number;
  hiddenDropout: number;
  attentionDropout: number;
  padTokenId: number;
  /**
   * What the classification head reads: the first token's hidden state (`cls`, BERT's and
   * HF's default) or the mean over the non-padding tokens (`mean`), for encoders whose [CLS]
   * was never trained (masked-LM alone); docs/model-card.md, round 4, measures it on bomf-tiny.
   * Stored as `classifier_pooling` in config.json, ModernBERT's key and values.
   */
  classifierPooling?: ClassifierPooling;
  /**
   * How a sentence pair is read: `cross` (one sequence `[CLS] A [SEP] B [SEP]`, the classifier
   * head) or `bi` (each sentence encoded alone, mean-pooled, scored by a scaled cosine:
   * cosine-head.ts). Stored as `pair_encoding` in config.json, so evaluation, fusion and a
   * reloaded model use the head training used.
   */
  pairEncoding?: PairEncoding;
}

export const CLASSIFIER_POOLINGS = ['cls', 'mean'] as const;
export type ClassifierPooling = (typeof CLASSIFIER_POOLINGS)[number];
export const PAIR_ENCODINGS = ['cross', 'bi'] as const;
export type PairEncoding = (typeof PAIR_ENCODINGS)[number];

/**
 * Reads a HF `config.json` object; `source` (its path) is named in errors. The fields that fix
 * the weights' shapes are required: BertConfig's defaults (768 wide, 12 layers) would only turn
 * a config.json that lacks them into a shape mismatch far from the cause. The others default as
 * in BertConfig.
 */
export function encoderConfigFromHF(
  json: Record<string, unknown>,
  source = 'config.json',
): EncoderConfig {
  const num = (key: string, fallback?: number): number => {
    const v = json[key];
    if (v === undefined && fallback !== undefined) return fallback;
    if (v === undefined) throw new Error(`${source}: the required field '${key}' is missing`);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
      throw new Error(`${source}: field '${key}' must be a number ≥ 0 (got ${JSON.stringify(v)})`);
    return v;
  };
  const modelType = json.model_type ?? 'bert';
  if (modelType !== 'bert' && modelType !== 'roberta')
    throw new Error(
      `${source}: field 'model_type' is '${String(modelType)}'; only 'bert' and 'roberta' are supported`,
    );
  const act = json.hidden_act ?? 'gelu';
  if (act !== 'gelu')
    throw new Error(`${source}: field 'hidden_act' is '${String(act)}'; only 'gelu' is supported`);
  const posType = json.position_embedding_type ?? 'absolute';
  if (posType !== 'absolute')
    throw new Error(
      `${source}: field 'position_embedding_type' is '${String(posType)}'; only 'absolute' is supported`,
    );
  const pooling = json.classifier_pooling ?? 'cls';
  if (!CLASSIFIER_POOLINGS.includes(pooling as ClassifierPooling))
    throw new Error(
      `${source}: field 'classifier_pooling' is ${JSON.stringify(pooling)}; expected one of ${CLASSIFIER_POOLINGS.join(', ')}`,
    );
  const pairEncoding = json.pair_encoding ?? 'cross';
  if (!PAIR_ENCODINGS.includes(pairEncoding as PairEncoding))
    throw new Error(
      `${source}: field 'pair_encoding' is ${JSON.stringify(pairEncoding)}; expected one of ${PAIR_ENCODINGS.join(', ')}`,
    );
  const c: EncoderConfig = {
    modelType,
    vocabSize: num('vocab_size'),
    hiddenSize: num('hidden_size'),
    numLayers: num('num_hidden_layers'),
    numHeads: num('num_attention_heads'),
    intermediateSize: num('intermediate_size'),
    maxPositions: num('max_position_embeddings', 512),
    typeVocabSize: num('type_vocab_size', 2),
    layerNormEps: num('layer_norm_eps', 1e-12),
    hiddenDropout: num('hidden_dropout_prob', 0.1),
    attentionDropout: num('attention_probs_dropout_prob', 0.1),
    padTokenId: num('pad_token_id', modelType === 'roberta' ? 1 : 0),
    classifierPooling: pooling as ClassifierPooling,
    pairEncoding: pairEncoding as PairEncoding,
  };
  if (c.numHeads < 1 || c.hiddenSize % c.numHeads !== 0)
    throw new Error(
      `${source}: hidden_size ${c.hiddenSize} is not a multiple of num_attention_heads ${c.numHeads}`,
    );
  return c;
}

/** Writes a HF-loadable `config.json` object (with labels for classifiers). */
export function encoderConfigToHF(
  c: EncoderConfig,
  extra: { numLabels?: number; labelNames?: string[]; problemType?: string } = {},
): Record<string, unknown> {
  const prefix = c.modelType === 'roberta' ? 'Roberta' : 'Bert';
  // HF has no class for the bi-encoder's cosine head: `…Model` loads its encoder (for mean
  // pooling and cosine) instead of a `…ForSequenceClassification` with a silently random head.
  const task = c.pairEncoding === 'bi' ? 'Model' : 'ForSequenceClassification';
  const json: Record<string, unknown> = {
    architectures: [extra.numLabels === undefined ? `${prefix}ForMaskedLM` : `${prefix}${task}`],
    model_type: c.modelType,
    vocab_size: c.vocabSize,
    hidden_size: c.hiddenSize,
    num_hidden_layers: c.numLayers,
    num_attention_heads: c.numHeads,
    intermediate_size: c.intermediateSize,
    hidden_act: 'gelu',
    hidden_dropout_prob: c.hiddenDropout,
    attention_probs_dropout_prob: c.attentionDropout,
    max_position_embeddings: c.maxPositions,
    type_vocab_size: c.typeVocabSize,
    initializer_range: 0.02,
    layer_norm_eps: c.layerNormEps,
    pad_token_id: c.padTokenId,
    position_embedding_type: 'absolute',
  };
  // Written only when it departs from BERT's [CLS], so existing configs stay as they were.
  if (c.classifierPooling === 'mean') json.classifier_pooling = 'mean';
  if (c.pairEncoding === 'bi') json.pair_encoding = 'bi';
  if (extra.numLabels !== undefined) {
    const names =
      extra.labelNames ?? Array.from({ length: extra.numLabels }, (_, i) => `LABEL_${i}`);
    json.id2label = Object.fromEntries(names.map((n, i) => [String(i), n]));
    json.label2id = Object.fromEntries(names.map((n, i) => [n, i]));
    json.problem_type =
      extra.problemType ?? (extra.numLabels === 1 ? 'regression' : 'single_label_classification');
  }
  return json;
}
