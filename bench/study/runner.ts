/**
 * Runs a study: every (task, seed) cell as one pipeline run (resumed if cut
 * short, skipped if finished), the TF-IDF context row on each cell's splits, and
 * the two side experiments once their cell is done. The results JSON is
 * rewritten after every unit of work, so an interrupted study always leaves
 * consistent partial results; running the same command again continues it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  formatDiagnostics,
  type ResolvedConfig,
  resolveConfig,
  validateConfigText,
} from '../../src/engine/config';
import type { LabFactory } from '../../src/engine/pipeline/run';
import { openRunFolder } from '../../src/engine/store/run-folder';
import { writeFileAtomic } from '../../src/train/atomic-write';
import { runDataset } from './cell-data';
import { type Cell, cellConfigText, cellState, runCell, studyCells } from './cells';
import type { StudyConfig } from './config';
import { majorityClass } from './context/majority';
import { BERT_TINY_CITATION, BERT_TINY_GLUE_TEST } from './context/published';
import { type TfidfResult, tfidfBaseline } from './context/tfidf-baseline';
import { computeLandscape, type LandscapeResult } from './landscape';
import { pinModel } from './model-pin';
import {
  type CellResult,
  cellResult,
  RESULTS_VERSION,
  ruleMethod,
  type StudyResults,
  type TaskInfo,
  writeResults,
} from './results';
import { readRuleChoices, ruleChoices } from './rule-choices';
import { computeTransfer } from './transfer';

export interface StudyRunOptions {
  labFactory: LabFactory;
  signal?: AbortSignal;
  onLog?: (line: string) => void;
}

/** The command that runs (or resumes) this study, for the docs. */
export function studyCommand(study: StudyConfig): string {
  const root = path.resolve(__dirname, '../..');
  return `npm run study -- ${path.relative(root, study.file)}`;
}

function cellResolvedConfig(study: StudyConfig, cell: Cell): ResolvedConfig {
  const text = cellConfigText(study, cell);
  const { diagnostics, config } = validateConfigText(text, cell.configFile, {
    baseDir: cell.dir,
  });
  if (!config) throw new Error(formatDiagnostics(diagnostics));
  return resolveConfig(config, cell.configFile);
}

function taskInfo(study: StudyConfig, cell: Cell): TaskInfo {
  const config = cellResolvedConfig(study, cell);
  return {
    name: cell.task.name,
    metric: config.data.metrics[0]!,
    metrics: config.data.metrics,
    kind: config.data.task,
    objectives: config.fusion.objectives,
    exampleConfig: path.relative(path.dirname(study.file), cell.task.config),
    limit: cell.task.limit,
  };
}

function cachedJson<T>(file: string, compute: () => T): T {
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  const value = compute();
  writeFileAtomic(file, JSON.stringify(value));
  return value;
}

/** Where a cell keeps BOMF's choices under the study's other selection rules. */
const choicesFile = (cell: Cell) => path.join(cell.dir, 'rule-choices.json');

/**
 * A done cell's results, with BOMF's choices under the other rules (once
 * computed), the majority-class row and its TF-IDF context row (computed once,
 * then cached).
 */
function collectCell(study: StudyConfig, cell: Cell, runDir: string): CellResult {
  const config = openRunFolder(runDir).config;
  const data = runDataset(config);
  const choices = (readRuleChoices(choicesFile(cell)) ?? []).filter((c) =>
    study.rules.includes(c.rule),
  );
  const sizes = {
    train: data.train.length,
    validation: data.validation.length,
    test: data.test.length,
  };
  const ref = { task: cell.task.name, seed: cell.seed };
  const result = cellResult(study.dir, ref, runDir, config, sizes, choices);
  const majority = majorityClass(data, config.data.metrics);
  if (majority) result.majority = majority;
  if (study.tfidf && result.status === 'done') {
    result.tfidf = cachedJson<TfidfResult>(path.join(cell.dir, 'tfidf.json'), () =>
      tfidfBaseline(data, config.data.metrics),
    );
  }
  return result;
}

async function landscapeFor(
  study: StudyConfig,
  runDir: string,
  log: (line: string) => void,
): Promise<LandscapeResult> {
  const spec = study.landscape!;
  const file = path.join(study.dir, 'landscape.json');
  if (fs.existsSync(file)) {
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      spec: unknown;
      result: LandscapeResult;
    };
    if (JSON.stringify(saved.spec) === JSON.stringify(spec)) return saved.result;
  }
  log(`landscape: ${spec.grid}×${spec.grid} grid on ${spec.task}-s${spec.seed}`);
  const result = await computeLandscape(spec, runDir);
  writeFileAtomic(file, JSON.stringify({ spec, result }));
  log(`landscape: done in ${result.seconds.toFixed(0)} s`);
  return result;
}

export async function runStudy(config: StudyConfig, opts: StudyRunOptions): Promise<StudyResults> {
  const log = opts.onLog ?? (() => {});
  const pinned = pinModel(config);
  const study: StudyConfig = { ...config, model: pinned.dir };
  const cells = studyCells(study);
  const results: StudyResults = {
    resultsVersion: RESULTS_VERSION,
    name: study.name,
    command: studyCommand(study),
    updated: new Date().toISOString(),
    model: {
      source: pinned.source === 'embedded' ? 'embedded' : path.basename(pinned.source),
      sha256: pinned.sha256,
    },
    seeds: study.seeds,
    methods: ['bomf', ...study.rules.map(ruleMethod), ...study.methods.filter((m) => m !== 'bomf')],
    tasks: study.tasks.map((task) => taskInfo(study, cells.find((c) => c.task === task)!)),
    cells: [],
    published: { citation: BERT_TINY_CITATION, scores: { ...BERT_TINY_GLUE_TEST } },
  };
  // A finished cell with all its rule choices never changes: fold it (and bootstrap its
  // significance intervals) once, not at every save.
  const finished = new Map<string, CellResult>();
  const save = () => {
    results.updated = new Date().toISOString();
    results.cells = cells.flatMap((cell) => {
      const state = cellState(cell);
      if (!state.runDir) return [];
      const known = finished.get(state.runDir);
      if (known) return [known];
      const result = collectCell(study, cell, state.runDir);
      const complete = study.rules.every((r) => result.methods[ruleMethod(r)] !== undefined);
      if (result.status === 'done' && complete) finished.set(state.runDir, result);
      return [result];
    });
    writeResults(study.results, results);
  };
  const isCell = (cell: Cell, ref?: { task: string; seed: number }) =>
    ref !== undefined && cell.task.name === ref.task && cell.seed === ref.seed;
  for (const cell of cells) {
    if (opts.signal?.aborted) break;
    const before = cellState(cell).status;
    log(
      `${cell.id}: ${before === 'done' ? 'done already' : before === 'not-started' ? 'starting' : 'resuming'}`,
    );
    const run = await runCell(study, cell, { ...opts, onLog: log });
    save();
    if (run.status !== 'done' || !run.runDir) continue;
    if (study.rules.length > 0) {
      const config = openRunFolder(run.runDir).config;
      const choices = await ruleChoices(
        run.runDir,
        study.rules,
        config.data.metrics[0]!,
        runDataset(config).validation.length,
        opts.labFactory,
        choicesFile(cell),
      );
      for (const c of choices)
        log(
          `${cell.id}: ${c.rule} picks fusion evaluation #${c.index} (${c.reused ? 'test result reused' : 'evaluated on test'})`,
        );
      save();
    }
    if (isCell(cell, study.landscape)) {
      results.landscape = await landscapeFor(study, run.runDir, log);
      save();
    }
    if (isCell(cell, study.transfer)) {
      const t = study.transfer!;
      results.transfer = await computeTransfer(
        t,
        run.runDir,
        path.join(study.dir, `transfer-${t.task}-s${t.seed}.json`),
        opts.signal,
        log,
      );
      save();
    }
  }
  save();
  return results;
}
