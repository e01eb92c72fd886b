/**
 * The experiment config schema: the single source of truth for the engine's
 * validation, the TypeScript types and the JSON Schema the editor uses
 * (schemas/experiment.schema.json, written by `npm run schema`).
 *
 * Defaults follow the BOMF paper and its code where sensible (see docs/config.md). The `data`
 * and `model` sections are in ./schema-data, `trainer` and `executor` in ./schema-execution.
 */
import { type Static, Type as T } from '@sinclair/typebox';
import { METRIC_NAMES, type MetricName } from '../../train/metrics';
import { Data, Metric, Model } from './schema-data';
import { CommandTrainer, ExecutorSection } from './schema-execution';

export { METRIC_NAMES, type MetricName };

const Param = T.Object(
  {
    low: T.Number({ description: 'Lower bound (inclusive).' }),
    high: T.Number({ description: 'Upper bound (inclusive).' }),
    log: T.Boolean({
      default: false,
      description: 'Search on a log scale (learning rates, weight decay).',
    }),
    type: T.Union([T.Literal('float'), T.Literal('int')], { default: 'float' }),
  },
  { additionalProperties: false },
);

const ParamSet = T.Object(
  {
    learningRate: T.Optional(Param),
    batchSize: T.Optional(Param),
    weightDecay: T.Optional(Param),
    warmupRatio: T.Optional(Param),
    epochs: T.Optional(Param),
    dropout: T.Optional(Param),
  },
  {
    additionalProperties: false,
    default: {
      learningRate: { low: 1e-5, high: 1e-3, log: true },
      batchSize: { low: 8, high: 64, type: 'int' },
    },
    description:
      'Searched hyperparameters and their ranges (default: learning rate and batch size, as in BOMF).',
  },
);

/** Far beyond any fine-tune (BOMF: a few epochs), low enough to catch a typo such as 1e9. */
const MAX_EPOCHS = 1000;

export type HyperparameterName = keyof Static<typeof ParamSet>;
/** Names of the hyperparameters stage 1 can search. */
export const HYPERPARAMETERS = Object.keys(ParamSet.properties) as HyperparameterName[];

const Hyperparameters = T.Object(
  {
    learningRate: T.Number({ exclusiveMinimum: 0, maximum: 1, default: 5e-4 }),
    batchSize: T.Integer({ minimum: 1, maximum: 4096, default: 32 }),
    weightDecay: T.Number({ minimum: 0, maximum: 1, default: 0.01 }),
    warmupRatio: T.Number({ minimum: 0, maximum: 1, default: 0.1 }),
    epochs: T.Number({ exclusiveMinimum: 0, maximum: MAX_EPOCHS, default: 3 }),
    dropout: T.Number({ minimum: 0, maximum: 0.9, default: 0.1 }),
    schedule: T.Union([T.Literal('constant'), T.Literal('linear'), T.Literal('cosine')], {
      default: 'constant',
      description: 'After warmup. BOMF uses constant.',
    }),
    maxGradNorm: T.Number({ exclusiveMinimum: 0, default: 1 }),
  },
  {
    additionalProperties: false,
    default: {},
    description:
      'Values of hyperparameters that are not searched (and defaults for those that are).',
  },
);

/** Each hyperparameter's own bounds: a search range must stay inside them. */
export const HYPERPARAMETER_BOUNDS = Hyperparameters.properties;

const ProxyModel = T.Object(
  {
    freeze: T.Optional(
      T.Integer({
        minimum: 0,
        description: 'Freeze the embeddings and the bottom n encoder layers.',
      }),
    ),
    lora: T.Optional(
      T.Integer({
        minimum: 1,
        maximum: 64,
        description: 'Train LoRA adapters of this rank on the attention projections instead.',
      }),
    ),
  },
  {
    additionalProperties: false,
    default: { freeze: 1 },
    description: 'The cheap proxy model of stage 1 (BOMF: frozen layers or small-rank LoRA).',
  },
);

const Search = T.Object(
  {
    enabled: T.Boolean({
      default: true,
      description: 'Run stage 1; when false, stage 2 uses `hyperparameters` as given.',
    }),
    parameters: ParamSet,
    budget: T.Integer({
      minimum: 1,
      maximum: 500,
      default: 10,
      description: 'Number of trials, initial design included.',
    }),
    initial: T.Integer({
      minimum: 1,
      maximum: 100,
      default: 3,
      description: 'Sobol trials before the GP takes over.',
    }),
    proxy: ProxyModel,
    parallel: T.Integer({
      minimum: 1,
      maximum: 16,
      default: 1,
      description:
        'Deprecated: use `executor.slots` (this value is taken for it when that is not set).',
    }),
    evalEvery: T.Optional(
      T.Integer({ minimum: 1, description: 'Validate every n steps (and at epoch ends).' }),
    ),
  },
  {
    additionalProperties: false,
    default: {},
    description: 'Stage 1: hyperparameter BO on the proxy model.',
  },
);

const Train = T.Object(
  {
    epochs: T.Optional(
      T.Number({
        exclusiveMinimum: 0,
        maximum: MAX_EPOCHS,
        description: 'Overrides the chosen epochs for the full fine-tune.',
      }),
    ),
    checkpoints: T.Object(
      {
        count: T.Integer({
          minimum: 2,
          maximum: 100,
          default: 15,
          description: 'Fusion members K (BOMF: about 15).',
        }),
        start: T.Number({
          minimum: 0,
          exclusiveMaximum: 1,
          default: 0.5,
          description: 'Fraction of training after which members are collected (BOMF: 0.5).',
        }),
      },
      {
        additionalProperties: false,
        default: {},
        description:
          'The checkpoints stage 2 collects: the fusion members, evenly spaced over the end of training.',
      },
    ),
    evalEvery: T.Optional(T.Integer({ minimum: 1 })),
  },
  {
    additionalProperties: false,
    default: {},
    description: 'Stage 2: full fine-tune and checkpoint collection.',
  },
);

const Objective = T.Union([T.Literal('loss'), Metric], {
  description: "'loss' (validation loss, minimized) or a metric (maximized).",
});

const Fusion = T.Object(
  {
    objectives: T.Optional(
      T.Array(Objective, {
        minItems: 2,
        uniqueItems: true,
        description: "Default: 'loss' plus every metric of data.metrics.",
      }),
    ),
    initial: T.Optional(
      T.Integer({
        minimum: 1,
        maximum: 200,
        description: 'Initial design size (default: K, the number of checkpoints).',
      }),
    ),
    budget: T.Optional(
      T.Integer({
        minimum: 2,
        maximum: 2000,
        description:
          'Fused-model evaluations, initial design included (default: 4K, and at least initial + 1).',
      }),
    ),
    batch: T.Integer({
      minimum: 1,
      maximum: 8,
      default: 1,
      description: 'Candidates per BO step (q).',
    }),
    acquisition: T.Union([T.Literal('auto'), T.Literal('ehvi'), T.Literal('qlognehvi')], {
      default: 'auto',
      description: 'auto: exact EHVI for 2 objectives and q = 1, else qLogNEHVI.',
    }),
    domain: T.Union([T.Literal('simplex'), T.Literal('bomf-cube')], {
      default: 'simplex',
      description:
        "simplex: stick-breaking map (uniform coverage); bomf-cube: the paper's x/sum(x) on [0,1]^K.",
    }),
    surrogate: T.Union([T.Literal('weights'), T.Literal('coordinates')], {
      default: 'weights',
      description:
        "What the GPs see. weights: the fusion weights themselves (one model, one input; candidates within 1e-3 of an evaluated model's weights are skipped); coordinates: the domain's own coordinates, as the paper's code (with domain bomf-cube) and earlier versions did.",
    }),
    referencePoint: T.Optional(
      T.Array(T.Number(), {
        minItems: 2,
        description:
          'In normalized objective space (all maximized; 0 = the worst checkpoint on that objective); default: 0 on every objective, as in BOMF.',
      }),
    ),
    selection: T.Union(
      [T.Literal('best-metric'), T.Literal('knee'), T.Literal('min-loss'), T.Literal('one-se')],
      {
        default: 'one-se',
        description:
          "How one model is chosen from the Pareto front. one-se (default, chosen from docs/study.md; see docs/fusion-choices.md): among front points within one standard error (of the validation metric, from the validation size) of the best, the lowest loss. best-metric: the paper's rule, the highest validation metric.",
      },
    ),
    memoryBudgetMB: T.Number({
      exclusiveMinimum: 0,
      default: 1024,
      description: 'Keep all checkpoints in memory when they fit, else stream them.',
    }),
  },
  {
    additionalProperties: false,
    default: {},
    description: 'Stage 3: fusion weights by multi-objective BO.',
  },
);

export const BASELINE_NAMES = [
  'best-single',
  'last',
  'swa',
  'greedy-soup',
  'sobo-metric',
  'sobo-loss',
] as const;

const Output = T.Object(
  {
    dir: T.String({
      minLength: 1,
      default: 'runs',
      description: 'Folder (relative to the config) that holds run folders.',
    }),
    dtype: T.Union([T.Literal('F32'), T.Literal('F16')], {
      default: 'F32',
      description: 'Precision of the exported fused model.',
    }),
  },
  { additionalProperties: false, default: {} },
);

export const ExperimentSchema = T.Object(
  {
    $schema: T.Optional(T.String()),
    name: T.String({
      minLength: 1,
      pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
      description: 'Experiment name; run folders are <name>-<timestamp>.',
    }),
    seed: T.Integer({ minimum: 0, maximum: 2 ** 32 - 1, default: 0 }),
    data: Data,
    model: Model,
    trainer: T.Optional(CommandTrainer),
    hyperparameters: Hyperparameters,
    search: Search,
    train: Train,
    fusion: Fusion,
    baselines: T.Array(T.Union(BASELINE_NAMES.map((b) => T.Literal(b))), {
      uniqueItems: true,
      default: [...BASELINE_NAMES],
      description: 'Alternatives evaluated on the same checkpoints, on validation and test.',
    }),
    output: Output,
    executor: ExecutorSection,
  },
  {
    additionalProperties: false,
    $id: 'https://bomf.studio/schemas/experiment.schema.json',
    title: 'BOMF Studio experiment',
  },
);

/** A config after schema defaults are filled in (derived defaults come later, in resolve). */
export type ExperimentConfig = Static<typeof ExperimentSchema>;
/** A baseline the config can ask for ('bomf' itself is always reported). */
export type BaselineConfigName = (typeof BASELINE_NAMES)[number];
