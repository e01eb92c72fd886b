// Streaming fusion of safetensors checkpoints (full, sharded or PEFT LoRA), independent of the model.
export {
  FUSION_RECORD,
  type FuseFoldersOptions,
  fuseModelFolders,
  fuseSafetensorsFiles,
} from './fuse';
export { checkOutputTarget, writeDirAtomic } from './io';
export { resolveMember } from './layout';
export { normalizeFusionWeights, parseFusionWeights } from './plan';
