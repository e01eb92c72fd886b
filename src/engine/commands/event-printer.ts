/**
 * How `bomf run` shows events: JSON lines on stdout for the extension
 * (`--json-events`), a progress bar on a terminal, plain lines otherwise (CI logs).
 */
import { SingleBar } from 'cli-progress';
import { dataSummaryLines } from '../../contract/data-summary';
import type { BomfEvent, Evaluation } from '../../contract/events';
import { isSearchEvaluation } from '../../contract/fusion-events';
import { printable } from '../../train/data/text-hygiene';

export type EventSink = (event: BomfEvent) => void;

const fmt = (v: number | undefined) =>
  v === undefined ? '–' : Number(v.toPrecision(4)).toString();

function evalText(e: Evaluation | undefined): string {
  if (!e) return '';
  return [
    `loss ${fmt(e.loss)}`,
    ...Object.entries(e.metrics).map(([k, v]) => `${k} ${fmt(v)}`),
  ].join(', ');
}

/**
 * One line for the events worth a line (a few for the data summary), undefined for the chatty
 * ones. Text from data files or other processes may hold control characters: an ANSI escape
 * sequence could rewrite the user's terminal, so they are shown as escapes.
 */
export function describeEvent(e: BomfEvent): string | undefined {
  const line = describeRaw(e);
  return line === undefined ? undefined : printable(line);
}

function describeRaw(e: BomfEvent): string | undefined {
  switch (e.type) {
    case 'run-start':
      return `${e.resumed ? 'resuming' : 'starting'} ${e.name} in ${e.runDir} (backend ${e.backend})`;
    case 'stage-start':
      return `stage ${e.stage}: ${e.total} to do`;
    case 'stage-end':
      return `stage ${e.stage} ${e.status} in ${e.seconds.toFixed(1)} s`;
    case 'trial-start':
      return `trial ${e.trial} (${e.source}): ${Object.entries(e.params)
        .map(([k, v]) => `${k}=${fmt(v)}`)
        .join(', ')}`;
    case 'trial-end':
      return e.status === 'done'
        ? `trial ${e.trial} done: objective ${fmt(e.objective)}`
        : `trial ${e.trial} failed: ${e.error}`;
    case 'checkpoint':
      return `checkpoint ${e.index} at step ${e.step}: ${evalText(e.validation)}`;
    case 'fusion-eval':
      return `fusion ${e.index} (${e.source}): ${evalText(e.validation)}`;
    case 'selection':
      return `selected fusion ${e.index} (${e.rule}): validation ${evalText(e.validation)}; test ${evalText(e.test)}`;
    case 'baseline':
      return `${e.name}: validation ${evalText(e.validation)}; test ${evalText(e.test)}`;
    case 'log':
      return e.message;
    case 'data-summary':
      return [
        ...dataSummaryLines(e).map((line) => `data: ${line}`),
        ...e.warnings.map((w) => `warning: ${w}`),
      ].join('\n');
    case 'error':
      // A fatal error ends the run: `bomf run` prints it once, on stderr, with what to do next.
      return e.fatal ? undefined : `warning: ${e.message}`;
    case 'run-end':
      return `run ${e.status} after ${e.seconds.toFixed(1)} s`;
    default:
      return undefined;
  }
}

/**
 * Events as JSON lines. When the reader goes away (the extension host reloads and
 * the pipe closes: EPIPE), the run carries on: events.jsonl stays the record and
 * the extension picks the run up again from it.
 */
export function jsonLinesSink(out: NodeJS.WritableStream = process.stdout): EventSink {
  let readerGone = false;
  out.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    readerGone = true;
  });
  return (e) => {
    if (!readerGone) out.write(`${JSON.stringify(e)}\n`);
  };
}

export function plainSink(out: NodeJS.WritableStream = process.stdout): EventSink {
  return (e) => {
    const line = describeEvent(e);
    if (line !== undefined) out.write(`${line}\n`);
  };
}

/** Events that complete one unit of a stage's planned work (the bar's value). */
function completesUnit(e: BomfEvent): boolean {
  switch (e.type) {
    case 'trial-end':
    case 'checkpoint':
    case 'baseline':
      return true;
    case 'fusion-eval':
      return isSearchEvaluation(e);
    default:
      return false;
  }
}

/** A bar for the current stage, its latest event as detail; stage and run ends print as lines. */
export function progressBarSink(out: NodeJS.WritableStream = process.stdout): EventSink {
  const bar = new SingleBar({
    format: '{stage} [{bar}] {value}/{total} {detail}',
    hideCursor: true,
    clearOnComplete: true,
    stream: out,
  });
  let active = false;
  let done = 0;
  return (e) => {
    const line = describeEvent(e);
    if (e.type === 'stage-start') {
      done = 0;
      bar.start(e.total, 0, { stage: e.stage, detail: '' });
      active = true;
      return;
    }
    if (e.type === 'stage-end' || e.type === 'run-end' || !active) {
      if (active) bar.stop();
      active = false;
      if (line !== undefined) out.write(`${line}\n`);
      return;
    }
    if (completesUnit(e)) done++;
    const detail =
      e.type === 'train-progress' && e.stage === 'train'
        ? `step ${e.step}/${e.totalSteps} loss ${fmt(e.loss)}`
        : line?.slice(0, 60);
    if (detail !== undefined || completesUnit(e))
      bar.update(done, detail === undefined ? {} : { detail });
  };
}
