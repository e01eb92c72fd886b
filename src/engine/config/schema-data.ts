/**
 * The experiment config's `data` and `model` sections (./schema assembles the whole config):
 * which files, columns, task and metrics, and which model reads them and how.
 */
import { Type as T } from '@sinclair/typebox';
import { METRIC_NAMES } from '../../train/metrics';

export const Metric = T.Union(
  METRIC_NAMES.map((m) => T.Literal(m)),
  { description: 'A dataset-level validation metric (maximized).' },
);

const Column = T.Union([T.String({ minLength: 1 }), T.Integer({ minimum: 0 })], {
  description: 'A column name, or a 0-based column index for files without a header.',
});

const Limit = T.Object(
  {
    train: T.Optional(
      T.Integer({
        minimum: 1,
        description: 'Use at most this many training rows (seeded subset).',
      }),
    ),
    validation: T.Optional(T.Integer({ minimum: 1 })),
    test: T.Optional(T.Integer({ minimum: 1 })),
  },
  { additionalProperties: false, description: 'Subset sizes, for quick runs.' },
);

export const Data = T.Object(
  {
    train: T.String({
      minLength: 1,
      description: 'Training file (CSV, TSV or JSONL), relative to the config file.',
    }),
    validation: T.Optional(
      T.String({ minLength: 1, description: 'Validation file; else carved from train.' }),
    ),
    test: T.Optional(
      T.String({ minLength: 1, description: 'Held-out test file; nothing ever selects on it.' }),
    ),
    format: T.Optional(
      T.Union([T.Literal('csv'), T.Literal('tsv'), T.Literal('jsonl')], {
        description: 'File format; inferred from the extension when absent.',
      }),
    ),
    header: T.Boolean({ default: true, description: 'Whether the first row names the columns.' }),
    text: Column,
    textPair: T.Optional(Column),
    label: Column,
    task: T.Union([T.Literal('classification'), T.Literal('regression')], {
      default: 'classification',
    }),
    labels: T.Optional(
      T.Array(T.String(), {
        minItems: 2,
        description:
          "Class names in id order; else the train file's labels, sorted (numerically when all are integers).",
      }),
    ),
    metrics: T.Array(Metric, {
      minItems: 1,
      default: ['accuracy'],
      description:
        'Validation metrics; the first is the primary one (stage-1 objective, selection).',
    }),
    validationFraction: T.Number({
      exclusiveMinimum: 0,
      exclusiveMaximum: 0.9,
      default: 0.1,
      description: 'Share of train carved out as validation when no validation file is given.',
    }),
    testFraction: T.Number({
      exclusiveMinimum: 0,
      exclusiveMaximum: 0.9,
      default: 0.1,
      description: 'Share of train carved out as test when no test file is given.',
    }),
    limit: T.Optional(Limit),
    maxLength: T.Integer({
      minimum: 8,
      maximum: 512,
      default: 128,
      description: 'Token limit per example (truncation).',
    }),
  },
  { additionalProperties: false, description: 'The task and its data files.' },
);

export const Model = T.Object(
  {
    source: T.String({
      minLength: 1,
      default: 'embedded',
      description:
        "'embedded' (the small encoder shipped with BOMF Studio), a Hugging Face model directory, or a previous run's folder (its fused model).",
    }),
    backend: T.Union(
      [T.Literal('auto'), T.Literal('tensorflow'), T.Literal('wasm'), T.Literal('cpu')],
      {
        default: 'auto',
        description: 'TF.js backend: native tensorflow when installed, else wasm.',
      },
    ),
    pairEncoding: T.Union([T.Literal('auto'), T.Literal('cross'), T.Literal('bi')], {
      default: 'auto',
      description:
        "How a sentence pair (data.textPair) is read. cross: a cross-encoder, both sentences in one sequence, [CLS] head. bi: a bi-encoder (sentence-transformers style), each sentence encoded alone and mean-pooled, the pair scored by the cosine of the two with a learned scale and offset; regression only. auto (default): bi for regression on sentence pairs (STS-B: Pearson 0.08 cross, 0.58–0.64 bi in docs/model-card.md's replay), cross otherwise. Saved as pair_encoding in the model's config.json.",
    }),
  },
  { additionalProperties: false, default: {} },
);
