// The fine-tuning loop: batching, AdamW, schedules, proxies (freeze / LoRA), checkpoints, resume.
export { AdamW, type AdamWOptions, type AdamWState, DEFAULT_ADAMW, decaysWeight } from './adamw';
export {
  collateBatch,
  disposeBatch,
  type EncodedExample,
  planEpochBatches,
  planEvalBatches,
} from './batching';
export { checkpointFileName, checkpointSteps, trainingStateFileFor } from './checkpoint-schedule';
export { clipByGlobalNorm } from './clip';
export { encodeExamples } from './encoding';
export { NonFiniteLossError } from './errors';
export { fineTune } from './fine-tune';
export {
  createLoraAdapters,
  LORA_TARGETS,
  type LoraOptions,
  type LoraTarget,
  mergedWeights,
  mergeLoraIntoModel,
} from './lora';
export { type ProxyOptions, trainableModelVariables } from './proxy';
export { learningRateAt, SCHEDULE_NAMES, type ScheduleName } from './schedule';
export { findResumableCheckpoint } from './training-state';
export type {
  CheckpointOptions,
  CheckpointRecord,
  EvalRecord,
  FineTuneOptions,
  FineTuneResult,
  Hyperparameters,
  Scores,
  StepProgress,
} from './types';
