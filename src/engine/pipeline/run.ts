/**
 * Runs (or resumes) the whole BOMF pipeline in a run folder. A stage whose
 * stage-end 'done' is in the log is skipped; a stage cut short continues from
 * what its events recorded. A stop (SIGINT/SIGTERM → `signal`) ends the run as
 * 'stopped' after the current unit of work; an error ends it as 'failed'.
 * Either way nothing already computed is lost, and `resumeRun` continues it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { version as tfjsVersion } from '@tensorflow/tfjs';
import pkg from '../../../package.json';
import { EVENT_SCHEMA_VERSION, type RunStatus, type StageName } from '../../contract/events';
import { writeFileAtomic } from '../../train/atomic-write';
import {
  formatDiagnostics,
  type ResolvedConfig,
  resolveConfig,
  resolvedConfigYaml,
  validateConfigText,
} from '../config';
import { writeReport } from '../report/write-report';
import { EventLog } from '../store/event-log';
import { acquireRunLock, createRunFolder, openRunFolder, type RunPaths } from '../store/run-folder';
import { runBaselinesStage } from './baselines-stage';
import type { RunContext } from './context';
import { runFusionStage } from './fusion-stage';
import { type ModelLab, RunStopped } from './lab';
import { runSearchStage, searchDomain } from './search-stage';
import { runTrainStage } from './train-stage';

/** Builds the lab for a run; the CLI passes the TF.js one, tests a synthetic one. */
export type LabFactory = (config: ResolvedConfig, paths: RunPaths) => Promise<ModelLab>;

export interface RunOptions {
  labFactory: LabFactory;
  signal?: AbortSignal;
  /** Called with the log before the first event is written (e.g. to echo events on stdout). */
  onLog?: (log: EventLog) => void;
}

export interface RunOutcome {
  runDir: string;
  status: RunStatus;
  error?: Error;
}

/** Thrown for a config that does not validate; the message lists every diagnostic. */
export class ConfigError extends Error {
  override name = 'ConfigError';
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

export function loadConfig(configFile: string): ResolvedConfig {
  let text: string;
  try {
    text = fs.readFileSync(configFile, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read ${configFile}: ${(err as Error).message}`);
  }
  const { diagnostics, config } = validateConfigText(text, configFile, {
    baseDir: path.dirname(path.resolve(configFile)),
  });
  if (!config) throw new ConfigError(formatDiagnostics(diagnostics));
  return resolveConfig(config, configFile);
}

async function execute(
  config: ResolvedConfig,
  paths: RunPaths,
  log: EventLog,
  configFile: string,
  resumed: boolean,
  opts: RunOptions,
): Promise<RunOutcome> {
  const t0 = Date.now();
  const signal = opts.signal ?? new AbortController().signal;
  const release = acquireRunLock(paths);
  let lab: ModelLab | undefined;
  let current: StageName | undefined;
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
    return { runDir: paths.dir, status: 'done' };
  } catch (err) {
    if (err instanceof RunStopped) {
      log.append({ type: 'run-end', status: 'stopped', seconds: (Date.now() - t0) / 1000 });
      return { runDir: paths.dir, status: 'stopped' };
    }
    const error = err instanceof Error ? err : new Error(String(err));
    // The lab failed to set up (data, model, backend): the log still says whose run this is,
    // so the editor files it under its config and shows why it failed.
    if (!started) appendStart('unavailable');
    log.append({ type: 'error', message: error.message, stage: current, fatal: true });
    if (current) log.append({ type: 'stage-end', stage: current, status: 'failed', seconds: 0 });
    log.append({ type: 'run-end', status: 'failed', seconds: (Date.now() - t0) / 1000 });
    return { runDir: paths.dir, status: 'failed', error };
  } finally {
    lab?.dispose();
    log.close();
    release();
    writeReport(config, paths, log.history);
  }
}

/** Starts a new run of `configFile` in a fresh run folder under `outDir` (default: the config's output.dir). */
export async function startRun(
  configFile: string,
  opts: RunOptions & { outDir?: string },
): Promise<RunOutcome> {
  const config = loadConfig(configFile);
  const outDir = opts.outDir ?? path.resolve(config.baseDir, config.output.dir);
  const paths = createRunFolder(outDir, config.name);
  writeFileAtomic(paths.config, resolvedConfigYaml(config));
  const log = EventLog.create(paths.events);
  opts.onLog?.(log);
  return execute(config, paths, log, path.resolve(configFile), false, opts);
}

/** Continues an interrupted run from its folder. */
export async function resumeRun(runDir: string, opts: RunOptions): Promise<RunOutcome> {
  const { paths, config } = openRunFolder(runDir);
  const log = EventLog.open(paths.events);
  const last = log.history[log.history.length - 1];
  if (last?.type === 'run-end' && last.status === 'done') {
    log.close();
    return { runDir: paths.dir, status: 'done' };
  }
  opts.onLog?.(log);
  const start = log.ofType('run-start')[0];
  return execute(config, paths, log, start?.configFile ?? paths.config, true, opts);
}
