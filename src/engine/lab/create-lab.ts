/**
 * The engine's LabFactory: the lab the config asks for. `trainer.type: command`
 * drives the user's commands as jobs on this machine; otherwise the embedded
 * TF.js trainer runs in-process.
 */
import { fuseModelFolders } from '../../fusion/stream';
import type { ResolvedConfig } from '../config';
import { LocalExecutor } from '../executor/local';
import type { ModelLab } from '../pipeline/lab';
import type { RunPaths } from '../store/run-folder';
import { createCommandLab } from './command/lab';
import { createTfLab } from './tf-lab';

export async function createLab(config: ResolvedConfig, paths: RunPaths): Promise<ModelLab> {
  if (config.trainer) {
    const executor = new LocalExecutor(config.search.parallel);
    return createCommandLab(config, config.trainer, paths, executor, (members, weights, out) =>
      fuseModelFolders(members, weights, out),
    );
  }
  return createTfLab(config, paths);
}
