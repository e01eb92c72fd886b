/**
 * How a node of the side panel's tree looks now: label, description, tooltip, icon and the
 * context value the package.json menus match. vscode-free like ./tree-model, whose keys it
 * describes; the provider turns these views into TreeItems.
 */
import * as path from 'node:path';
import { latestHypervolume } from '../../contract/fold';
import type { BaselineName } from '../../contract/fusion-events';
import { formatStartTime } from '../../contract/run-identity';
import { timingLine } from '../../contract/timing';
import { trialLogFiles } from '../../engine/lab/trial-logs';
import { bestMetric, runName, runProgress, setupFailure } from '../runs/run-model';
import {
  fmt,
  type NodeIcon,
  pct,
  RUN_STATE_ICONS,
  STAGE_ICONS,
  STAGE_LABELS,
  STAGE_UNITS,
} from './labels';
import { findRun, keyId, type RunEntry, runsOf, type TreeKey, type TreeSource } from './tree-model';

export interface TreeNodeView {
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  icon: NodeIcon;
  /** Matched by package.json menus (`viewItem == …`). */
  contextValue: string;
  collapsible: 'none' | 'collapsed' | 'expanded';
  /** File or folder the node stands for (opens on click / reveal). */
  resourcePath?: string;
}

/** How a key looks now; undefined when what it stood for is gone. */
export function describeNode(source: TreeSource, key: TreeKey): TreeNodeView | undefined {
  const id = keyId(key);
  switch (key.kind) {
    case 'experiment': {
      const exp = source.experiments.find((e) => e.configFile === key.configFile);
      if (!exp) return undefined;
      const runs = runsOf(source, key.configFile);
      const running = runs.some((r) => r.state === 'running');
      return {
        id,
        label: exp.label,
        description:
          runs.length === 0 ? 'no runs yet' : `${runs.length} run${runs.length > 1 ? 's' : ''}`,
        tooltip: exp.configFile,
        icon: { id: running ? 'beaker~spin' : 'beaker' },
        contextValue: 'bomf.experiment',
        // Always expanded: a node first shown without children would otherwise stay collapsed.
        collapsible: 'expanded',
        resourcePath: exp.configFile,
      };
    }
    case 'other-runs':
      return {
        id,
        label: 'Other runs',
        description: 'config not in this workspace',
        icon: { id: 'folder' },
        contextValue: 'bomf.otherRuns',
        collapsible: 'collapsed',
      };
    case 'run': {
      const run = findRun(source, key.runDir);
      return run ? describeRun(id, run, source.now ?? Date.now()) : undefined;
    }
    case 'stage': {
      const run = findRun(source, key.runDir);
      if (!run) return undefined;
      const s = run.model.stages[key.stage];
      const progress =
        s.total > 0 ? `${Math.min(s.completed, s.total)}/${s.total} ${STAGE_UNITS[key.stage]}` : '';
      const hypervolume = latestHypervolume(run.model);
      const hv =
        key.stage === 'fusion' && hypervolume !== undefined ? ` · HV ${fmt(hypervolume)}` : '';
      return {
        id,
        label: STAGE_LABELS[key.stage],
        description: `${s.status === 'running' ? progress : s.status}${hv}`,
        icon: STAGE_ICONS[s.status],
        contextValue: `bomf.stage.${key.stage}`,
        collapsible: 'collapsed',
      };
    }
    case 'trial': {
      const run = findRun(source, key.runDir);
      const t = run?.model.trials.get(key.trial);
      if (!t || !run) return undefined;
      const params = Object.entries(t.params)
        .map(([k, v]) => `${k}=${fmt(v)}`)
        .join(', ');
      const result =
        t.objective !== undefined
          ? `${run.model.metricName ?? 'objective'} ${fmt(t.objective)} · `
          : '';
      // A trial run as a job: queued (waiting in Slurm's queue) or running, and which job.
      const queued = t.status === 'running' && t.job?.state === 'queued';
      const job = t.job
        ? `${t.job.executor === 'slurm' ? `Slurm job ${t.job.id}` : `pid ${t.job.id.split(':')[0]}`}`
        : undefined;
      return {
        id,
        label: `Trial ${t.trial}`,
        description: `${queued ? 'queued · ' : ''}${result}${params}${job ? ` · ${job}` : ''}`,
        tooltip: t.error
          ? [t.error, t.stderrTail].filter(Boolean).join('\n\nstderr:\n')
          : `${t.source === 'bo' ? 'suggested by BO' : 'initial design'}: ${params}`,
        icon: queued ? { id: 'clock' } : STAGE_ICONS[t.status],
        // A trial run as a job (command trainer, TF.js slots, Slurm) has logs ("Open Trial Log").
        contextValue:
          trialLogFiles(key.runDir, t.trial).length > 0 ? 'bomf.trial.logged' : 'bomf.trial',
        collapsible: 'none',
      };
    }
    case 'checkpoint': {
      const run = findRun(source, key.runDir);
      const c = run?.model.checkpoints.get(key.index);
      if (!c || !run) return undefined;
      const metric = run.model.metricName;
      const value = metric !== undefined ? c.validation.metrics[metric] : undefined;
      return {
        id,
        label: `Checkpoint ${c.index}`,
        description: `step ${c.step} · loss ${fmt(c.validation.loss)}${value !== undefined ? ` · ${metric} ${fmt(value)}` : ''}`,
        tooltip: c.file,
        icon: { id: 'save' },
        contextValue: 'bomf.checkpoint',
        collapsible: 'none',
        resourcePath: path.join(run.model.runDir, c.file),
      };
    }
    case 'fusion': {
      const run = findRun(source, key.runDir);
      const f = run?.model.fusionEvals.get(key.index);
      if (!f || !run) return undefined;
      const chosen = run.model.selection?.index === f.index;
      const metrics = Object.entries(f.validation.metrics)
        .map(([k, v]) => `${k} ${fmt(v)}`)
        .join(' · ');
      return {
        id,
        label: `${f.source === 'member' ? `Checkpoint ${f.weights.indexOf(1)}` : `Fusion ${f.index}`}${chosen ? ' (chosen)' : ''}`,
        description: `loss ${fmt(f.validation.loss)} · ${metrics}`,
        tooltip: `weights ${f.weights.map((w) => w.toFixed(3)).join(', ')}${run.model.front.has(f.index) ? '\non the Pareto front' : ''}`,
        icon: chosen
          ? { id: 'target', color: 'charts.orange' }
          : run.model.front.has(f.index)
            ? { id: 'star-full', color: 'charts.yellow' }
            : { id: 'circle-small' },
        contextValue: 'bomf.fusion',
        collapsible: 'none',
      };
    }
    case 'baseline': {
      const run = findRun(source, key.runDir);
      const b = run?.model.baselines.get(key.name as BaselineName);
      if (!b || !run) return undefined;
      const metric = run.model.metricName;
      const val = metric !== undefined ? b.validation.metrics[metric] : undefined;
      const test = metric !== undefined ? b.test?.metrics[metric] : undefined;
      const parts = [
        val !== undefined ? `val ${fmt(val)}` : '',
        test !== undefined ? `test ${fmt(test)}` : '',
      ].filter(Boolean);
      return {
        id,
        label: key.name,
        description: parts.join(' · '),
        icon: { id: 'graph-line' },
        contextValue: 'bomf.baseline',
        collapsible: 'none',
      };
    }
  }
}

function describeRun(id: string, run: RunEntry, now: number): TreeNodeView {
  const { model, state } = run;
  const stage = model.currentStage;
  const best = bestMetric(model);
  const setup = setupFailure(model);
  const parts: string[] = [
    setup !== undefined
      ? `failed before training: ${setup} — fix the config and run it again`
      : state,
  ];
  if (state === 'running' || state === 'interrupted')
    parts.push(`${stage ?? 'starting'} ${pct(runProgress(model))}`);
  if (best) parts.push(`${best.label} ${fmt(best.value)}`);
  // An interrupted run's clock has stopped: only a live run shows elapsed time and ETA.
  if (state === 'running' || state === 'done') {
    const timing = timingLine(model, now);
    if (timing) parts.push(timing);
  }
  const notes = model.annotations.notes.length;
  if (notes > 0) parts.push(`${notes} note${notes > 1 ? 's' : ''}`);
  return {
    id,
    label: runName(model),
    description: parts.join(' · '),
    tooltip: [
      model.runDir,
      ...model.annotations.notes.map((n) => `note (${formatStartTime(n.time)}): ${n.text}`),
      model.unsupported ?? '',
      model.lastError ? `error: ${model.lastError}` : '',
    ]
      .filter(Boolean)
      .join('\n'),
    icon: RUN_STATE_ICONS[state],
    // No Resume (menus match bomf.run.failed only): it would fail the same way.
    contextValue: setup !== undefined ? 'bomf.run.failedSetup' : `bomf.run.${state}`,
    collapsible: 'collapsed',
    resourcePath: model.runDir,
  };
}
