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
}

function num(json: Record<string, unknown>, key: string, fallback?: number): number {
  const v = json[key];
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new Error(`config.json: field '${key}' must be a number (got ${JSON.stringify(v)})`);
  return v;
}

/** Reads a HF `config.json` object; defaults are BertConfig's where HF has one. */
export function encoderConfigFromHF(json: Record<string, unknown>): EncoderConfig {
  const modelType = json.model_type ?? 'bert';
  if (modelType !== 'bert' && modelType !== 'roberta')
    throw new Error(
      `config.json: field 'model_type' is '${String(modelType)}'; only 'bert' and 'roberta' are supported`,
    );
  const act = json.hidden_act ?? 'gelu';
  if (act !== 'gelu')
    throw new Error(
      `config.json: field 'hidden_act' is '${String(act)}'; only 'gelu' is supported`,
    );
  const posType = json.position_embedding_type ?? 'absolute';
  if (posType !== 'absolute')
    throw new Error(
      `config.json: field 'position_embedding_type' is '${String(posType)}'; only 'absolute' is supported`,
    );
  const c: EncoderConfig = {
    modelType,
    vocabSize: num(json, 'vocab_size'),
    hiddenSize: num(json, 'hidden_size', 768),
    numLayers: num(json, 'num_hidden_layers', 12),
    numHeads: num(json, 'num_attention_heads', 12),
    intermediateSize: num(json, 'intermediate_size', 3072),
    maxPositions: num(json, 'max_position_embeddings', 512),
    typeVocabSize: num(json, 'type_vocab_size', 2),
    layerNormEps: num(json, 'layer_norm_eps', 1e-12),
    hiddenDropout: num(json, 'hidden_dropout_prob', 0.1),
    attentionDropout: num(json, 'attention_probs_dropout_prob', 0.1),
    padTokenId: num(json, 'pad_token_id', modelType === 'roberta' ? 1 : 0),
  };
  if (c.hiddenSize % c.numHeads !== 0)
    throw new Error(
      `config.json: hidden_size ${c.hiddenSize} is not a multiple of num_attention_heads ${c.numHeads}`,
    );
  return c;
}

/** Writes a HF-loadable `config.json` object (with labels for classifiers). */
export function encoderConfigToHF(
  c: EncoderConfig,
  extra: { numLabels?: number; labelNames?: string[]; problemType?: string } = {},
): Record<string, unknown> {
  const prefix = c.modelType === 'roberta' ? 'Roberta' : 'Bert';
  const json: Record<string, unknown> = {
    architectures: [
      extra.numLabels === undefined ? `${prefix}ForMaskedLM` : `${prefix}ForSequenceClassification`,
    ],
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
