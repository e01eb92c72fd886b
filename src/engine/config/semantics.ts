/**
 * Rules the JSON Schema cannot express. Each returns the field path it is about,
 * so the validator can point at the right line.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { biRefusal } from '../../train/model/pair-encoding';
import { rangeText, withinBounds } from './bounds';
import {
  type ExperimentConfig,
  HYPERPARAMETER_BOUNDS,
  HYPERPARAMETERS,
  type MetricName,
} from './schema';
import { SLURM_ONLY_FIELDS, TRAINER_MACROS, TRAINER_ROLES } from './schema-execution';

export interface SemanticIssue {
  path: (string | number)[];
  message: string;
  severity: 'error' | 'warning';
}

const METRICS_FOR_TASK: Record<'classification' | 'regression', readonly MetricName[]> = {
  classification: ['accuracy', 'f1', 'macro-f1', 'mcc'],
  regression: ['pearson', 'spearman'],
};

const INTEGER_PARAMS = new Set(['batchSize']);

export function checkSemantics(config: ExperimentConfig): SemanticIssue[] {
  const issues: SemanticIssue[] = [];
  const error = (p: (string | number)[], message: string) =>
    issues.push({ path: p, message, severity: 'error' });

  const allowed = METRICS_FOR_TASK[config.data.task];
  config.data.metrics.forEach((m, i) => {
    if (!allowed.includes(m)) {
      error(
        ['data', 'metrics', i],
        `metric '${m}' does not fit a ${config.data.task} task; use one of ${allowed.join(', ')}`,
      );
    }
  });

  for (const name of HYPERPARAMETERS) {
    const p = config.search.parameters[name];
    if (!p) continue;
    const at = ['search', 'parameters', name];
    if (!(p.low < p.high))
      error(
        [...at, 'high'],
        `'${at.join('.')}': high (${p.high}) must be greater than low (${p.low})`,
      );
    if (p.log && p.low <= 0)
      error([...at, 'low'], `'${at.join('.')}': a log-scaled range needs low > 0 (got ${p.low})`);
    const own = HYPERPARAMETER_BOUNDS[name];
    for (const end of ['low', 'high'] as const) {
      if (!withinBounds(p[end], own))
        error(
          [...at, end],
          `'${at.join('.')}.${end}' is ${p[end]}, outside what ${name} allows: ${rangeText(own)}`,
        );
    }
    if (INTEGER_PARAMS.has(name) && p.type !== 'int') {
      error([...at, 'type'], `'${at.join('.')}' must be searched as type: int`);
    }
    if (p.type === 'int' && (!Number.isInteger(p.low) || !Number.isInteger(p.high))) {
      error(
        [...at],
        `'${at.join('.')}': an int range needs integer bounds (got ${p.low}..${p.high})`,
      );
    }
  }
  if (config.search.initial > config.search.budget) {
    error(
      ['search', 'initial'],
      `'search.initial' (${config.search.initial}) exceeds 'search.budget' (${config.search.budget})`,
    );
  }
  const proxy = config.search.proxy;
  if (proxy.freeze !== undefined && proxy.lora !== undefined) {
    error(['search', 'proxy'], "'search.proxy' takes either 'freeze' or 'lora', not both");
  }

  const objectives = config.fusion.objectives;
  objectives?.forEach((o, i) => {
    if (o !== 'loss' && !allowed.includes(o)) {
      error(
        ['fusion', 'objectives', i],
        `objective '${o}' does not fit a ${config.data.task} task; use loss or one of ${allowed.join(', ')}`,
      );
    }
  });
  const objectiveCount = objectives?.length ?? 1 + config.data.metrics.length;
  if (config.fusion.referencePoint && config.fusion.referencePoint.length !== objectiveCount) {
    error(
      ['fusion', 'referencePoint'],
      `'fusion.referencePoint' has ${config.fusion.referencePoint.length} values for ${objectiveCount} objectives`,
    );
  }
  if (
    config.fusion.initial !== undefined &&
    config.fusion.budget !== undefined &&
    config.fusion.initial > config.fusion.budget
  ) {
    error(
      ['fusion', 'initial'],
      `'fusion.initial' (${config.fusion.initial}) exceeds 'fusion.budget' (${config.fusion.budget})`,
    );
  }

  if (config.search.parallel > 1) {
    issues.push({
      path: ['search', 'parallel'],
      severity: 'warning',
      message:
        config.executor.slots === undefined
          ? "'search.parallel' is deprecated: write 'executor: { slots: N }' instead (it is taken as executor.slots)"
          : "'search.parallel' is deprecated and ignored: 'executor.slots' is set",
    });
  }
  if (config.executor.kind === 'local') {
    for (const field of SLURM_ONLY_FIELDS) {
      if (config.executor[field] !== undefined) {
        error(['executor', field], `'executor.${field}' applies only to kind: slurm`);
      }
    }
  }

  if (config.model.pairEncoding === 'bi') {
    const why = biRefusal(config.data.task, config.data.textPair !== undefined);
    if (why !== undefined) error(['model', 'pairEncoding'], `'model.pairEncoding': ${why}`);
  }

  issues.push(...checkTrainer(config));
  return issues;
}

/** Macros in a command trainer's arguments that its role does not know, and bad env names. */
function checkTrainer(config: ExperimentConfig): SemanticIssue[] {
  const trainer = config.trainer;
  if (!trainer) return [];
  const issues: SemanticIssue[] = [];
  for (const role of TRAINER_ROLES) {
    const known = TRAINER_MACROS[role];
    trainer[role].forEach((arg, i) => {
      for (const [, name] of arg.matchAll(/\$\{([^}]*)\}/g)) {
        if (known.includes(name!)) continue;
        issues.push({
          path: ['trainer', role, i],
          severity: 'error',
          message: `'trainer.${role}[${i}]': unknown macro \${${name}}; ${role} knows ${known.map((m) => `\${${m}}`).join(', ')}`,
        });
      }
    });
  }
  for (const name of Object.keys(trainer.env ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      issues.push({
        path: ['trainer', 'env', name],
        severity: 'error',
        message: `'trainer.env': '${name}' is not a valid environment variable name`,
      });
    }
  }
  return issues;
}

/**
 * Data files and model folders that do not exist. Works on the raw parsed value,
 * so missing files are reported even when the schema has other complaints.
 */
export function checkFiles(raw: unknown, baseDir: string): SemanticIssue[] {
  const issues: SemanticIssue[] = [];
  const section = (key: string) =>
    (raw as Record<string, unknown> | null)?.[key] as Record<string, unknown> | undefined;
  const data = section('data');
  for (const split of ['train', 'validation', 'test'] as const) {
    const file = data?.[split];
    if (typeof file === 'string' && file !== '' && !fs.existsSync(path.resolve(baseDir, file))) {
      issues.push({
        path: ['data', split],
        severity: 'error',
        message: `data file not found: ${file} (resolved to ${path.resolve(baseDir, file)})`,
      });
    }
  }
  const source = section('model')?.source;
  if (
    typeof source === 'string' &&
    source !== 'embedded' &&
    !fs.existsSync(path.resolve(baseDir, source))
  ) {
    issues.push({
      path: ['model', 'source'],
      severity: 'error',
      message: `model folder not found: ${source}; use 'embedded', a Hugging Face model folder or a run folder`,
    });
  }
  const cwd = (section('trainer') as Record<string, unknown> | undefined)?.cwd;
  if (typeof cwd === 'string' && cwd !== '' && !fs.existsSync(path.resolve(baseDir, cwd))) {
    issues.push({
      path: ['trainer', 'cwd'],
      severity: 'error',
      message: `trainer.cwd folder not found: ${cwd} (resolved to ${path.resolve(baseDir, cwd)})`,
    });
  }
  return issues;
}
