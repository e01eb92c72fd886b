/**
 * The study config (YAML): which tasks (each an example experiment config plus
 * subset sizes), which seeds, which methods, and the two side experiments
 * (landscape plane, proxy → full transfer). Paths are relative to the study file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import type { BaselineName } from '../../src/contract/fusion-events';
import { BASELINE_NAMES } from '../../src/engine/config';
import { SELECTION_RULES, type SelectionRule } from '../../src/engine/pipeline/selection';

/** BOMF itself, then the baselines an experiment config can ask for. */
export const ALL_METHODS: readonly BaselineName[] = ['bomf', ...BASELINE_NAMES];

export interface StudyTask {
  /** Short name, used in cell folder names and tables (e.g. sst2). */
  name: string;
  /** Absolute path of the experiment config the cells derive from. */
  config: string;
  /** Subset sizes (data.limit of the cells). */
  limit?: { train?: number; validation?: number; test?: number };
  /** Deep-merged into the experiment config after the study-wide overrides. */
  overrides?: Record<string, unknown>;
}

export interface LandscapeSpec {
  task: string;
  seed: number;
  /** Indices of the three checkpoints θ0, θ1, θ2 spanning the plane (default first, middle, last). */
  checkpoints?: [number, number, number];
  /** Grid points per axis. */
  grid: number;
  /** Range of both affine coordinates a, b (θ = θ0 + a(θ1−θ0) + b(θ2−θ0)). */
  range: [number, number];
}

export interface TransferSpec {
  task: string;
  seed: number;
}

export interface StudyConfig {
  name: string;
  /** Absolute path of the study file. */
  file: string;
  /** Study folder: cell run folders, side-experiment state (absolute). */
  dir: string;
  /** Results JSON (absolute). */
  results: string;
  /** Generated markdown (absolute). */
  doc: string;
  /** Folder of the PNG figures (absolute). */
  images: string;
  seeds: number[];
  methods: BaselineName[];
  /**
   * Other rules for choosing BOMF's model from the same Pareto front (the run's own
   * rule, fusion.selection, gives method `bomf`); each is a method row `bomf (<rule>)`.
   */
  rules: SelectionRule[];
  /** model.source of every cell: 'embedded' or an absolute model folder. */
  model: string;
  /** Deep-merged into every task's experiment config. */
  overrides: Record<string, unknown>;
  tasks: StudyTask[];
  /**
   * A hand-written markdown file (absolute) on what the results say, included in
   * the generated document; the tables stay generated.
   */
  discussion?: string;
  /** Train and evaluate the TF-IDF + logistic-regression context row. */
  tfidf: boolean;
  landscape?: LandscapeSpec;
  transfer?: TransferSpec;
}

class StudyConfigError extends Error {
  override name = 'StudyConfigError';
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads and checks a study file; every problem names the file and the field. */
export function loadStudyConfig(file: string): StudyConfig {
  const abs = path.resolve(file);
  let raw: unknown;
  try {
    raw = parse(fs.readFileSync(abs, 'utf8'));
  } catch (err) {
    throw new StudyConfigError(`${abs}: ${(err as Error).message}`);
  }
  const fail = (field: string, msg: string): never => {
    throw new StudyConfigError(`${abs}: ${field}: ${msg}`);
  };
  if (!isObj(raw)) return fail('(top level)', 'expected a mapping');
  const base = path.dirname(abs);
  const rel = (field: string, fallback?: string): string => {
    const v = raw[field] ?? fallback;
    if (typeof v !== 'string') return fail(field, 'expected a path (string)');
    return path.resolve(base, v);
  };
  const name = raw.name;
  if (typeof name !== 'string' || !/^[\w.-]+$/.test(name))
    fail('name', 'expected a name of letters, digits, dots, dashes or underscores');
  const seeds = raw.seeds;
  if (!Array.isArray(seeds) || seeds.length === 0 || !seeds.every(Number.isInteger))
    fail('seeds', 'expected a non-empty list of integers');
  const methods = (raw.methods ?? ALL_METHODS) as unknown;
  if (!Array.isArray(methods) || !methods.includes('bomf'))
    fail('methods', `expected a list that includes bomf (known: ${ALL_METHODS.join(', ')})`);
  for (const [i, m] of (methods as unknown[]).entries()) {
    if (!ALL_METHODS.includes(m as BaselineName))
      fail(`methods[${i}]`, `unknown method '${m}' (known: ${ALL_METHODS.join(', ')})`);
  }
  const rules = (raw.rules ?? []) as unknown;
  if (!Array.isArray(rules)) fail('rules', `expected a list of ${SELECTION_RULES.join(', ')}`);
  for (const [i, r] of (rules as unknown[]).entries()) {
    if (!SELECTION_RULES.includes(r as SelectionRule))
      fail(`rules[${i}]`, `unknown selection rule '${r}' (known: ${SELECTION_RULES.join(', ')})`);
  }
  if (!Array.isArray(raw.tasks) || raw.tasks.length === 0)
    fail('tasks', 'expected a non-empty list');
  const tasks = (raw.tasks as unknown[]).map((t, i) => parseTask(t, `tasks[${i}]`, base, fail));
  const names = new Set(tasks.map((t) => t.name));
  if (names.size !== tasks.length) fail('tasks', 'task names must be unique');
  const model = raw.model ?? 'embedded';
  if (typeof model !== 'string') fail('model', "expected 'embedded' or a model folder");
  if (raw.overrides !== undefined && !isObj(raw.overrides)) fail('overrides', 'expected a mapping');
  const landscape = raw.landscape === undefined ? undefined : parseLandscape(raw.landscape, fail);
  const transfer =
    raw.transfer === undefined ? undefined : parseCellRef(raw.transfer, 'transfer', fail);
  for (const [field, ref] of [
    ['landscape', landscape],
    ['transfer', transfer],
  ] as const) {
    if (ref && !names.has(ref.task)) fail(`${field}.task`, `'${ref.task}' is not a study task`);
    if (ref && !(seeds as number[]).includes(ref.seed))
      fail(`${field}.seed`, `${ref.seed} is not a study seed`);
  }
  return {
    name: name as string,
    file: abs,
    dir: rel('dir', `../../runs/study/${name}`),
    results: rel('results', `results/${name}.results.json`),
    doc: rel('doc', '../../docs/study.md'),
    images: rel('images', '../../docs/images/study'),
    seeds: seeds as number[],
    methods: methods as BaselineName[],
    rules: rules as SelectionRule[],
    model: model === 'embedded' ? model : path.resolve(base, model as string),
    overrides: (raw.overrides as Obj | undefined) ?? {},
    tasks,
    discussion: raw.discussion === undefined ? undefined : rel('discussion'),
    tfidf: raw.tfidf !== false,
    landscape,
    transfer,
  };
}

function parseTask(
  t: unknown,
  field: string,
  base: string,
  fail: (field: string, msg: string) => never,
): StudyTask {
  if (!isObj(t)) return fail(field, 'expected a mapping with name and config');
  if (typeof t.name !== 'string' || !/^[\w-]+$/.test(t.name))
    fail(`${field}.name`, 'expected a short name (letters, digits, dashes)');
  if (typeof t.config !== 'string') fail(`${field}.config`, 'expected the path of a .bomf.yaml');
  const config = path.resolve(base, t.config as string);
  if (!fs.existsSync(config)) fail(`${field}.config`, `${config} does not exist`);
  if (t.limit !== undefined) {
    if (!isObj(t.limit)) fail(`${field}.limit`, 'expected {train, validation, test}');
    for (const [k, v] of Object.entries(t.limit as Obj)) {
      if (!['train', 'validation', 'test'].includes(k))
        fail(`${field}.limit.${k}`, 'unknown split (train, validation, test)');
      if (!Number.isInteger(v) || (v as number) < 1)
        fail(`${field}.limit.${k}`, 'expected a positive integer');
    }
  }
  if (t.overrides !== undefined && !isObj(t.overrides))
    fail(`${field}.overrides`, 'expected a mapping');
  return {
    name: t.name as string,
    config,
    limit: t.limit as StudyTask['limit'],
    overrides: t.overrides as Obj | undefined,
  };
}

function parseCellRef(
  v: unknown,
  field: string,
  fail: (field: string, msg: string) => never,
): { task: string; seed: number } {
  if (!isObj(v) || typeof v.task !== 'string' || !Number.isInteger(v.seed))
    return fail(field, 'expected {task: <study task>, seed: <study seed>}');
  return { task: v.task, seed: v.seed as number };
}

function parseLandscape(v: unknown, fail: (field: string, msg: string) => never): LandscapeSpec {
  const ref = parseCellRef(v, 'landscape', fail);
  const o = v as Obj;
  const grid = o.grid ?? 9;
  if (!Number.isInteger(grid) || (grid as number) < 2 || (grid as number) > 41)
    fail('landscape.grid', 'expected an integer in [2, 41]');
  const range = o.range ?? [-0.5, 1.5];
  if (
    !Array.isArray(range) ||
    range.length !== 2 ||
    !range.every(Number.isFinite) ||
    !(range[0] < range[1])
  )
    fail('landscape.range', 'expected [low, high] with low < high');
  const ck = o.checkpoints;
  if (
    ck !== undefined &&
    (!Array.isArray(ck) ||
      ck.length !== 3 ||
      !ck.every((k) => Number.isInteger(k) && k >= 0) ||
      new Set(ck).size !== 3)
  )
    fail('landscape.checkpoints', 'expected three distinct checkpoint indices');
  return {
    ...ref,
    grid: grid as number,
    range: range as [number, number],
    checkpoints: ck as [number, number, number] | undefined,
  };
}
