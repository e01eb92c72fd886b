/**
 * The experiment config's `trainer` and `executor` sections (./schema assembles the whole
 * config): who trains (your own commands, docs/trainer-protocol.md) and where trials and
 * evaluations run (local slots or Slurm, docs/scale-out.md).
 */
import { type Static, Type as T } from '@sinclair/typebox';

const CommandArgs = T.Array(T.String(), {
  minItems: 1,
  description:
    // biome-ignore lint/suspicious/noTemplateCurlyInString: macros are written literally
    'Program and arguments, run without a shell. Macros: ${python}, ${params_file}, ${out_dir}, ${args} (W&B-style --name value pairs); evaluate also ${model_dir} and ${split}. See docs/trainer-protocol.md.',
});

export const CommandTrainer = T.Object(
  {
    type: T.Literal('command', {
      description: "'command': your own trainer, driven by the commands below.",
    }),
    python: T.String({
      minLength: 1,
      default: 'python3',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a macro, written literally
      description: 'The interpreter ${python} expands to.',
    }),
    trial: CommandArgs,
    train: CommandArgs,
    evaluate: CommandArgs,
    cwd: T.Optional(
      T.String({
        minLength: 1,
        description:
          'Working directory of the commands, relative to the config (default: its folder).',
      }),
    ),
    env: T.Optional(
      T.Record(T.String(), T.String(), {
        description: 'Environment variables added to every command (e.g. OMP_NUM_THREADS).',
      }),
    ),
    timeoutSeconds: T.Optional(
      T.Integer({
        minimum: 1,
        description: 'Wall-clock limit of each command; past it the command is stopped and fails.',
      }),
    ),
  },
  {
    additionalProperties: false,
    description:
      'Train and evaluate with your own program instead of the embedded TF.js model: trial (stage 1), train (stage 2) and evaluate (fused models) commands speaking docs/trainer-protocol.md.',
  },
);

/** A trainer driven by commands (the `trainer` key). */
export type CommandTrainerConfig = Static<typeof CommandTrainer>;

/** The roles of a command trainer, in pipeline order. */
export const TRAINER_ROLES = ['trial', 'train', 'evaluate'] as const;
export type TrainerRole = (typeof TRAINER_ROLES)[number];

/** Macros each role's arguments may use (`${name}`); the lab expands them. */
export const TRAINER_MACROS: Record<TrainerRole, readonly string[]> = {
  trial: ['python', 'params_file', 'out_dir', 'args'],
  train: ['python', 'params_file', 'out_dir', 'args'],
  evaluate: ['python', 'params_file', 'out_dir', 'model_dir', 'split'],
};

export const ExecutorSection = T.Object(
  {
    kind: T.Union([T.Literal('local'), T.Literal('slurm')], {
      default: 'local',
      description:
        'Where stage-1 trials and stage-3 evaluations run: worker processes on this machine, or Slurm jobs (needs a shared filesystem, docs/scale-out.md).',
    }),
    slots: T.Optional(
      T.Integer({
        minimum: 1,
        maximum: 256,
        description:
          'Trials or evaluations in flight at once, with batch suggestions. Default: local, one per core of this machine (one with a command trainer); slurm, 4.',
      }),
    ),
    partition: T.Optional(T.String({ minLength: 1, description: 'Slurm: `--partition`.' })),
    account: T.Optional(T.String({ minLength: 1, description: 'Slurm: `--account`.' })),
    time: T.Optional(
      T.String({
        pattern: '^[0-9]+(-[0-9]+)?(:[0-9]+){0,2}$',
        description: "Slurm: `--time` per job, e.g. '30' (minutes), '2:00:00', '1-00:00:00'.",
      }),
    ),
    cpusPerTask: T.Optional(T.Integer({ minimum: 1, description: 'Slurm: `--cpus-per-task`.' })),
    mem: T.Optional(
      T.String({
        pattern: '^[0-9]+[KMGT]?$',
        description: "Slurm: `--mem` per job, e.g. '8G'.",
      }),
    ),
    gres: T.Optional(T.String({ minLength: 1, description: "Slurm: `--gres`, e.g. 'gpu:1'." })),
    sbatchArgs: T.Optional(
      T.Array(T.String(), { description: "Slurm: more `sbatch` arguments, e.g. ['--qos=short']." }),
    ),
    setup: T.Optional(
      T.String({
        description:
          "Slurm: a shell line run before each job, e.g. 'module load nodejs/20' or 'source ~/venv/bin/activate'.",
      }),
    ),
    pollSeconds: T.Number({
      minimum: 1,
      default: 30,
      description:
        'Slurm: how often `squeue` is asked about jobs, only to notice jobs that died without writing their outcome.',
    }),
  },
  {
    additionalProperties: false,
    default: {},
    description: 'Where and how many trials and fusion evaluations run at once.',
  },
);

/** Executor fields that only Slurm understands. */
export const SLURM_ONLY_FIELDS = [
  'partition',
  'account',
  'time',
  'cpusPerTask',
  'mem',
  'gres',
  'sbatchArgs',
  'setup',
] as const;
