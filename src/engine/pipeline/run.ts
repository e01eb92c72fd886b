/**
 * Runs (or resumes) the whole BOMF pipeline in a run folder. A stage whose
 * stage-end 'done' is in the log is skipped; a stage cut short continues from
 * what its events recorded. A stop (SIGINT/SIGTERM → `signal`) ends the run as
 * 'stopped' after the current unit of work; an error ends it as 'failed'.
 * Either way nothing already computed is lost, and `resumeRun` continues it.
 */
import * as path from 'node:path';
import { version as tfjsVersion } from '@tensorflow/tfjs';
import pkg from '../../../package.json';
import { EVENT_SCHEMA_VERSION, type RunStatus, type StageName } from '../../contract/events';
import { writeFileAtomic } from '../../train/atomic-write';
import { type ResolvedConfig, resolvedConfigYaml } from '../config';
import { writeReport } from '../report/write-report';
import { EventLog } from '../store/event-log';
import {
  createRunFolder,
  openRunFolder,
  type RunPaths,
  removeLeftovers,
} from '../store/run-folder';
import { acquireRunLock } from '../store/run-lock';
import { runBaselinesStage } from './baselines-stage';
import type { RunContext } from './context';
import { checkRecordedFiles, nextStep } from './failure';
import { runFusionStage } from './fusion-stage';
import { InfrastructureFailure, JobFailed, type ModelLab, RunStopped } from './lab';
import { checkRunInputs, loadConfig } from './run-config';
import { runSearchStage, searchDomain } from './search-stage';
import { runTrainStage } from './train-stage';

/** Builds the lab for a run; the CLI passes the TF.js one, tests a synthetic one. */
export type LabFactory = (config: ResolvedConfig, paths: RunPaths) => Promise<ModelLab>;

export interface RunOptions {
  labFactory: LabFactory;
  signal?: AbortSignal;
  /** Called with the log before the first event is written (e.g. to echo events on stdout). */
  onLog?: (log: EventLog) => void;
  /**
   * Read the data files and the model's config.json before a run folder is made, so that bad
   * input is a config error (exit 2, nothing written) rather than a failed run. The CLI sets it;
   * tests with synthetic labs and stand-in data do not.
   */
  checkInputs?: boolean;
}

export interface RunOutcome {
  runDir: string;
  status: RunStatus;
  /** Why the run failed, or (status done) why its report could not be written. */
  error?: Error;
  /** With an error: how to continue (a resume command), or why the run cannot be continued. */
  nextStep?: string;
  /** `bomf resume` found the run finished already and only completed its report and lock. */
  finishedBefore?: boolean;
}

const STAGE_RUNNERS: Record<StageName, (ctx: RunContext) => Promise<void>> = {
  search: runSearchStage,
  train: runTrainStage,
  fusion: runFusionStage,
  baselines: runBaselinesStage,
};

function stageTotal(config: ResolvedConfig, stage: StageName): number {
  switch (stage) {
    case 'search':
      return config.search.budget;
    case 'train':
      return config.train.checkpoints.count;
    case 'fusion':
      return config.fusion.budget;
    case 'baselines':
      return config.baselines.length + 1;
  }
}

/** Appends an event while ending a run; a failure here (a full disk) must not hide the error being reported. */
function tryAppend(log: EventLog, payload: Parameters<EventLog['append']>[0]): void {
  try {
    log.append(payload);
  } catch {
    // The log stays well-formed (a failed append is cut back); resume sees an interrupted run.
  }
}

/**
 * The last writes of a run: the report (a fold of the log), then the lock. A
 * report that cannot be written is said alongside the run's own error, never
 * instead of it, and `bomf resume` writes it later.
 */
function finish(
  config: ResolvedConfig,
  paths: RunPaths,
  log: EventLog,
  outcome: RunOutcome,
  release: () => void,
): RunOutcome {
  try {
    // A run that failed before it started has nothing to report: no blank report.md.
    if (log.ofType('run-start').length > 0) writeReport(config, paths, log.history);
  } catch (err) {
    const reportError = err instanceof Error ? err : new Error(String(err));
    if (!outcome.error) {
      outcome.error = reportError;
      outcome.nextStep = nextStep(reportError, paths.dir).hint.replace(
        'resume with',
        'write the report with',
      );
    } else {
      outcome.nextStep += ` (The report was not written either: ${reportError.message}.)`;
    }
  }
  log.close();
  release();
  return outcome;
}

async function execute(
  config: ResolvedConfig,
  paths: RunPaths,
  log: EventLog,
  configFile: string,
  resumed: boolean,
  release: () => void,
  opts: RunOptions,
): Promise<RunOutcome> {
  const t0 = Date.now();
  const signal = opts.signal ?? new AbortController().signal;
  let lab: ModelLab | undefined;
  let current: StageName | undefined;
  let outcome: RunOutcome;
  let started = false;
  const appendStart = (backend: string) => {
    log.append({
      type: 'run-start',
      schemaVersion: EVENT_SCHEMA_VERSION,
      runId: path.basename(paths.dir),
      name: config.name,
      configFile,
      runDir: paths.dir,
      engineVersion: pkg.version,
      tfjsVersion: tfjsVersion.tfjs,
      nodeVersion: process.version,
      backend,
      resumed,
      pid: process.pid,
    });
    started = true;
  };
  try {
    lab = await opts.labFactory(config, paths);
    appendStart(lab.backend);
    const summary = lab.dataSummary?.();
    if (summary) log.append({ type: 'data-summary', ...summary });
    const ctx: RunContext = { config, log, paths, lab, signal };
    for (const stage of Object.keys(STAGE_RUNNERS) as StageName[]) {
      if (log.ofType('stage-end').some((e) => e.stage === stage && e.status !== 'failed')) continue;
      current = stage;
      const started = Date.now();
      if (!log.ofType('stage-start').some((e) => e.stage === stage)) {
        log.append({
          type: 'stage-start',
          stage,
          total: stageTotal(config, stage),
          ...(stage === 'search'
            ? { space: searchDomain(config).params.map((p) => ({ ...p, log: p.log ?? false })) }
            : {}),
        });
      }
      if (stage === 'search' && !config.search.enabled) {
        log.append({ type: 'stage-end', stage, status: 'skipped', seconds: 0 });
        continue;
      }
      await STAGE_RUNNERS[stage](ctx);
      log.append({
        type: 'stage-end',
        stage,
        status: 'done',
        seconds: (Date.now() - started) / 1000,
      });
    }
    current = undefined;
    log.append({ type: 'run-end', status: 'done', seconds: (Date.now() - t0) / 1000 });
    outcome = { runDir: paths.dir, status: 'done' };
  } catch (err) {
    const seconds = (Date.now() - t0) / 1000;
    if (err instanceof RunStopped) {
      tryAppend(log, { type: 'run-end', status: 'stopped', seconds });
      outcome = { runDir: paths.dir, status: 'stopped' };
    } else {
      const error = err instanceof Error ? err : new Error(String(err));
      // The lab failed to set up (data, model, backend): the log still says whose run this
      // is, so the editor files it under its config and shows why it failed.
      if (!started) {
        try {
          appendStart('unavailable');
        } catch {
          // A full disk: the error below is what the user needs.
        }
      }
      tryAppend(log, {
        type: 'error',
        message: error.message,
        stage: current,
        fatal: true,
        ...((error instanceof JobFailed || error instanceof InfrastructureFailure) &&
        error.outputTail
          ? { stderrTail: error.outputTail }
          : {}),
      });
      if (current)
        tryAppend(log, { type: 'stage-end', stage: current, status: 'failed', seconds: 0 });
      tryAppend(log, { type: 'run-end', status: 'failed', seconds });
      outcome = {
        runDir: paths.dir,
        status: 'failed',
        error,
        nextStep: nextStep(
          error,
          paths.dir,
          current === undefined && log.ofType('stage-start').length === 0 ? configFile : undefined,
        ).hint,
      };
    }
  }
  try {
    lab?.dispose();
  } catch {
    // Freeing memory at the end cannot change the outcome.
  }
  return finish(config, paths, log, outcome, release);
}

/** Starts a new run of `configFile` in a fresh run folder under `outDir` (default: the config's output.dir). */
export async function startRun(
  configFile: string,
  opts: RunOptions & { outDir?: string },
): Promise<RunOutcome> {
  const config = loadConfig(configFile, opts);
  const outDir = opts.outDir ?? path.resolve(config.baseDir, config.output.dir);
  const paths = createRunFolder(outDir, config.name);
  const release = acquireRunLock(paths.dir, paths.lock);
  let log: EventLog;
  try {
    writeFileAtomic(paths.config, resolvedConfigYaml(config));
    log = EventLog.create(paths.events);
  } catch (err) {
    release();
    throw err;
  }
  opts.onLog?.(log);
  return execute(config, paths, log, path.resolve(configFile), false, release, opts);
}

/**
 * Continues an interrupted run from its folder. The lock is taken before the
 * log is touched (opening it may cut a torn last line). A run that had finished
 * gets what a kill may have cost it (the report, a stale lock) and nothing more.
 */
export async function resumeRun(runDir: string, opts: RunOptions): Promise<RunOutcome> {
  const { paths, config } = openRunFolder(runDir);
  const release = acquireRunLock(paths.dir, paths.lock);
  let log: EventLog;
  try {
    log = EventLog.open(paths.events);
    checkRecordedFiles(paths.dir, log.history);
    removeLeftovers(paths);
  } catch (err) {
    release();
    throw err;
  }
  const last = log.history[log.history.length - 1];
  if (last?.type === 'run-end' && last.status === 'done') {
    return finish(
      config,
      paths,
      log,
      { runDir: paths.dir, status: 'done', finishedBefore: true },
      release,
    );
  }
  try {
    // After the finished-run check: a finished run whose data moved away still gets its report.
    if (opts.checkInputs) checkRunInputs(config, paths.config);
  } catch (err) {
    log.close();
    release();
    throw err;
  }
  opts.onLog?.(log);
  const start = log.ofType('run-start')[0];
  return execute(config, paths, log, start?.configFile ?? paths.config, true, release, opts);
}
