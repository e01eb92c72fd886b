/**
 * `bomf fuse`: manual fusion and export. Members come from a run folder (its collected
 * checkpoints, in order) or an explicit list of safetensors files or folders (full, sharded or
 * PEFT LoRA). The generic format streams any such checkpoints with no model config; the `bert`
 * format rebuilds our TF.js encoder folder from the run's base model or `--model`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { checkpointsInOrder, parseEventLog } from '../../contract/read-event-log';
import { CheckpointSet, headSize, pairEncodingOf, writeFusedModel } from '../../fusion';
import { checkOutputTarget, fuseModelFolders, parseFusionWeights } from '../../fusion/stream';
import { encoderConfigFromHF } from '../../train/model';
import { readModelConfig } from '../../train/model/pretrained';
import { loadTokenizer } from '../../train/tokenizer';
import { resolveModelSource } from '../lab/model-source';
import { openRunFolder, resolveInRunFolder } from '../store/run-folder';

interface FuseOptions {
  run?: string;
  checkpoints?: string;
  model?: string;
  weights: string;
  out: string;
  dtype: 'F32' | 'F16';
  format: 'auto' | 'bert' | 'safetensors';
  mergeLora?: boolean;
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

/** Members, and the base-model folder when the members are our own encoder's checkpoints. */
function fuseInputs(opts: FuseOptions): {
  members: string[];
  modelDir?: string;
  /** The run's checkpoints are model folders written by a user's trainer: no TF.js export. */
  fromCommandTrainer?: boolean;
} {
  if (opts.run) {
    const { paths, config } = openRunFolder(opts.run);
    const checkpoints = checkpointsInOrder(
      parseEventLog(fs.readFileSync(paths.events, 'utf8')).events,
    );
    if (checkpoints.length === 0) throw new Error(`${opts.run} has no collected checkpoints yet`);
    const members = checkpoints.map((c) =>
      resolveInRunFolder(paths.dir, c.file, 'checkpoint file'),
    );
    if (config.trainer?.type === 'command') return { members, fromCommandTrainer: true };
    return {
      members,
      modelDir: resolveModelSource(opts.model ?? config.model.source, config.baseDir),
    };
  }
  if (!opts.checkpoints) {
    throw new Error('give --run RUN_DIR or --checkpoints a.safetensors,b.safetensors,…');
  }
  const members = opts.checkpoints.split(',').map((f, i) => {
    if (f.trim() === '') throw new Error(`--checkpoints: entry ${i + 1} is empty`);
    return path.resolve(f.trim());
  });
  return {
    members,
    modelDir: opts.model ? resolveModelSource(opts.model, process.cwd()) : undefined,
  };
}

/**
 * `auto`: our encoder's export when a run of the embedded trainer or a base model is given,
 * else the generic stream.
 */
function chosenFormat(opts: FuseOptions, fromCommandTrainer = false): 'bert' | 'safetensors' {
  if (opts.format !== 'auto') return opts.format;
  return (opts.run && !fromCommandTrainer) || opts.model ? 'bert' : 'safetensors';
}

export async function fuseCommand(opts: FuseOptions): Promise<string> {
  const out = path.resolve(opts.out);
  // Refuse a non-empty target before reading gigabytes, and again when renaming into place.
  checkOutputTarget(out);
  const { members, modelDir, fromCommandTrainer } = fuseInputs(opts);
  const weights = parseFusionWeights(opts.weights, members.length);
  if (chosenFormat(opts, fromCommandTrainer) === 'safetensors') {
    await fuseModelFolders(members, weights, out, { mergeLora: opts.mergeLora });
    return out;
  }
  if (opts.mergeLora) throw new Error('--merge-lora applies to --format safetensors only');
  const dir = modelDir ?? resolveModelSource('embedded', process.cwd());
  const fused = new CheckpointSet(members, Number.POSITIVE_INFINITY).mix(weights);
  const hf = readModelConfig(dir);
  await writeFusedModel(out, {
    weights: fused,
    // The members' head, not the base model's config.json, says how they read sentence pairs.
    config: { ...encoderConfigFromHF(hf), pairEncoding: pairEncodingOf(fused) },
    numLabels: headSize(fused),
    tokenizer: loadTokenizer(dir),
    members,
    fusionWeights: weights,
    dtype: opts.dtype,
    labelNames: opts.run ? runLabelNames(opts.run) : undefined,
  });
  return out;
}

export function registerFuseCommand(program: Command): void {
  program
    .command('fuse')
    .description('fuse checkpoints with given weights into a new model folder')
    .option('--run <dir>', "use a run folder's collected checkpoints (in order)")
    .option(
      '--checkpoints <paths>',
      'comma-separated safetensors files or folders (model.safetensors, sharded, or a PEFT adapter)',
    )
    .option(
      '--model <dir>',
      "model folder for config and tokenizer (bert format; default: the run's base model)",
    )
    .requiredOption(
      '--weights <list>',
      'comma-separated weights, one per checkpoint (normalized to sum 1)',
    )
    .requiredOption('--out <dir>', 'output folder: new or empty (nothing is ever deleted)')
    .option(
      '--format <format>',
      'auto (bert with --model or a run of the embedded trainer, else safetensors), bert (our TF.js encoder folder) or safetensors (any model, streamed)',
      'auto',
    )
    .option('--merge-lora', 'LoRA adapters: write the merged dense deltas, not a fused adapter')
    .option('--dtype <dtype>', 'bert format: F32 or F16', 'F32')
    .action(async (opts: FuseOptions) => {
      if (!['auto', 'bert', 'safetensors'].includes(opts.format)) {
        throw new Error(`--format must be auto, bert or safetensors (got '${opts.format}')`);
      }
      const out = await fuseCommand(opts);
      process.stdout.write(`wrote ${out}\n`);
    });
}
