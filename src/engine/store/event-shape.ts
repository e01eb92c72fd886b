/**
 * The fields each event type must carry, checked when a log is read back. The engine writes
 * complete events, but a hand-edited or foreign events.jsonl can hold a line that is valid JSON
 * and still no event (a checkpoint without its file): it must be named by file and line, not
 * surface as a TypeError deep inside resume.
 */
import type { BomfEventType } from '../../contract/events';

/** 'count': an integer ≥ 0; 'number': a number, or null (JSON's spelling of NaN). */
type Kind = 'count' | 'number' | 'string' | 'boolean' | 'array' | 'object';

const REQUIRED: Record<BomfEventType, Record<string, Kind>> = {
  'run-start': { runId: 'string', name: 'string', configFile: 'string', runDir: 'string' },
  'stage-start': { stage: 'string', total: 'count' },
  'stage-end': { stage: 'string', status: 'string', seconds: 'number' },
  'trial-start': { trial: 'count', params: 'object', x: 'array', source: 'string' },
  'train-progress': { stage: 'string', step: 'count', totalSteps: 'count', loss: 'number' },
  'train-eval': { stage: 'string', step: 'count', validation: 'object' },
  'trial-end': { trial: 'count', status: 'string' },
  checkpoint: { index: 'count', step: 'count', file: 'string', validation: 'object' },
  'fusion-eval': {
    index: 'count',
    source: 'string',
    weights: 'array',
    validation: 'object',
    objectives: 'array',
  },
  'pareto-update': { front: 'array', hypervolume: 'number', evaluations: 'count' },
  selection: {
    index: 'count',
    rule: 'string',
    weights: 'array',
    validation: 'object',
    dir: 'string',
  },
  baseline: { name: 'string', weights: 'array', validation: 'object' },
  'baseline-eval': {
    name: 'string',
    index: 'count',
    x: 'array',
    weights: 'array',
    validation: 'object',
  },
  'fusion-start': { candidate: 'count', source: 'string', x: 'array', weights: 'array' },
  job: { unit: 'string', stage: 'string', executor: 'string', jobId: 'string', state: 'string' },
  log: { level: 'string', message: 'string' },
  'data-summary': { task: 'string', splits: 'array', warnings: 'array' },
  error: { message: 'string', fatal: 'boolean' },
  'run-end': { status: 'string', seconds: 'number' },
};

function fits(value: unknown, kind: Kind): boolean {
  switch (kind) {
    case 'count':
      return Number.isInteger(value) && (value as number) >= 0;
    case 'number':
      return value === null || typeof value === 'number';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    default:
      return typeof value === kind;
  }
}

/** What is wrong with a parsed event, or undefined. Types this engine does not know pass. */
function eventProblem(event: Record<string, unknown>): string | undefined {
  if (!fits(event.seq, 'count')) return "field 'seq' must be an integer ≥ 0";
  const fields = REQUIRED[event.type as BomfEventType];
  if (!fields) return undefined;
  for (const [name, kind] of Object.entries(fields)) {
    if (!(name in event)) return `a '${event.type}' event needs the field '${name}'`;
    if (!fits(event[name], kind))
      return `field '${name}' of a '${event.type}' event must be ${kind === 'count' ? 'an integer ≥ 0' : `a ${kind}`}`;
  }
  return undefined;
}

export interface MalformedEvent {
  /** 1-based line in the file. */
  line: number;
  /** Position among the lines that parse as events (parseEventLog's `events`). */
  index: number;
  problem: string;
}

/** Lines of an events.jsonl text that parse as events but lack what their type needs. */
export function malformedEvents(text: string): MalformedEvent[] {
  const found: MalformedEvent[] = [];
  let index = 0;
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return; // Not JSON: parseEventLog reports it (or cuts it as a torn tail).
    }
    const event = value as Record<string, unknown>;
    if (typeof value !== 'object' || value === null || typeof event.type !== 'string') return;
    const problem = eventProblem(event);
    if (problem) found.push({ line: i + 1, index, problem });
    index++;
  });
  return found;
}
