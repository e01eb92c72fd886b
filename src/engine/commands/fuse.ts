/**
 * `bomf fuse`: manual fusion and export. Members come from a run folder (its
 * collected checkpoints, in order) or an explicit list; the model's config and
 * tokenizer come from the run's base model or `--model`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { checkpointsInOrder, parseEventLog } from '../../contract/events';
import { CheckpointSet, headSize, writeFusedModel } from '../../fusion';
import { encoderConfigFromHF } from '../../train/model';
import { readModelConfig } from '../../train/model/pretrained';
import { loadTokenizer } from '../../train/tokenizer';
import { resolveModelSource } from '../lab/model-source';
import { openRunFolder } from '../store/run-folder';

interface FuseOptions {
  run?: string;
  checkpoints?: string;
  model?: string;
  weights: string;
  out: string;
  dtype: 'F32' | 'F16';
}

function parseWeights(text: string, count: number): number[] {
  const weights = text.split(',').map((s) => Number(s.trim()));
  if (weights.length !== count || weights.some((w) => !Number.isFinite(w) || w < 0)) {
    throw new Error(
      `--weights needs ${count} non-negative numbers separated by commas (got '${text}')`,
    );
  }
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) throw new Error('--weights must not all be zero');
  // Users may give raw proportions (1,1,2): normalize onto the simplex.
  return weights.map((w) => w / sum);
}

/**
 * The task's class names as the run's own export recorded them (`fused/config.json`'s
 * id2label, written from the data), so a re-fused model says `negative`/`positive` rather
 * than `LABEL_0`/`LABEL_1`. Undefined when the run has not exported its model yet.
 */
export function runLabelNames(runDir: string): string[] | undefined {
  let id2label: unknown;
  try {
    id2label = JSON.parse(
      fs.readFileSync(path.join(runDir, 'fused', 'config.json'), 'utf8'),
    ).id2label;
  } catch {
    return undefined;
  }
  if (typeof id2label !== 'object' || id2label === null) return undefined;
  const entries = Object.entries(id2label as Record<string, unknown>);
  if (entries.some(([id, name]) => !/^\d+$/.test(id) || typeof name !== 'string')) return undefined;
  return entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, name]) => name as string);
}

/** Members and base-model folder from the options. */
function fuseInputs(opts: FuseOptions): { members: string[]; modelDir: string } {
  if (opts.run) {
    const { paths, config } = openRunFolder(opts.run);
    const checkpoints = checkpointsInOrder(
      parseEventLog(fs.readFileSync(paths.events, 'utf8')).events,
    );
    if (checkpoints.length === 0) throw new Error(`${opts.run} has no collected checkpoints yet`);
    return {
      members: checkpoints.map((c) => path.resolve(paths.dir, c.file)),
      modelDir: resolveModelSource(opts.model ?? config.model.source, config.baseDir),
    };
  }
  if (!opts.checkpoints)
    throw new Error('give --run RUN_DIR or --checkpoints a.safetensors,b.safetensors,…');
  return {
    members: opts.checkpoints.split(',').map((f) => path.resolve(f.trim())),
    modelDir: resolveModelSource(opts.model ?? 'embedded', process.cwd()),
  };
}

export function fuseCommand(opts: FuseOptions): string {
  const { members, modelDir } = fuseInputs(opts);
  const weights = parseWeights(opts.weights, members.length);
  const fused = new CheckpointSet(members, Number.POSITIVE_INFINITY).mix(weights);
  const hf = readModelConfig(modelDir);
  writeFusedModel(path.resolve(opts.out), {
    weights: fused,
    config: encoderConfigFromHF(hf),
    numLabels: headSize(fused),
    tokenizer: loadTokenizer(modelDir),
    members,
    fusionWeights: weights,
    dtype: opts.dtype,
    labelNames: opts.run ? runLabelNames(opts.run) : undefined,
  });
  return path.resolve(opts.out);
}

export function registerFuseCommand(program: Command): void {
  program
    .command('fuse')
    .description('fuse checkpoints with given weights and export the model folder')
    .option('--run <dir>', "use a run folder's collected checkpoints (in order)")
    .option('--checkpoints <files>', 'comma-separated checkpoint files (safetensors)')
    .option(
      '--model <dir>',
      "model folder for config and tokenizer (default: the run's base model, else embedded)",
    )
    .requiredOption(
      '--weights <list>',
      'comma-separated weights, one per checkpoint (normalized to sum 1)',
    )
    .requiredOption('--out <dir>', 'output model folder')
    .option('--dtype <dtype>', 'F32 or F16', 'F32')
    .action((opts: FuseOptions) => {
      const out = fuseCommand(opts);
      process.stdout.write(`wrote ${out}\n`);
    });
}
