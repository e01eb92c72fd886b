/**
 * The engine's LabFactory: the lab the config asks for. `trainer.type: command`
 * drives the user's commands as jobs of the config's executor (local or Slurm),
 * trials and evaluations `executor.slots` at a time; otherwise the embedded TF.js
 * trainer, whose trials and evaluations run in slots too (tf-lab.ts).
 */
import { fuseModelFolders } from '../../fusion/stream';
import type { ResolvedConfig } from '../config';
import { createExecutor } from '../executor/create';
import type { ModelLab } from '../pipeline/lab';
import type { RunPaths } from '../store/run-folder';
import { createCommandLab } from './command/lab';
import { createTfLab } from './tf-lab';

export async function createLab(config: ResolvedConfig, paths: RunPaths): Promise<ModelLab> {
  if (config.trainer) {
    const executor = createExecutor(config, paths);
    return createCommandLab(config, config.trainer, paths, executor, (members, weights, out) =>
      fuseModelFolders(members, weights, out),
    );
  }
  return createTfLab(config, paths);
}
