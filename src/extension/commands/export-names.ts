/**
 * Where an export goes: a folder named after the run (config name and short id, no spaces or
 * punctuation from its display title) and what was exported, made unique in the chosen
 * parent so an earlier export is never overwritten and never refused with a raw EEXIST.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { shortRunId } from '../../contract/run-identity';
import type { RunModel } from '../runs/run-model';

/** `sst2-bomf-3fa2c1-chosen`, or `sst2-bomf-3fa2c1-eval12` for a point picked on the Pareto plot. */
export function exportBaseName(model: RunModel, evalIndex?: number): string {
  const folder = path.basename(model.runDir);
  const name = (model.start?.name ?? folder).replace(/[^A-Za-z0-9._-]+/g, '-');
  const what = evalIndex === undefined ? 'chosen' : `eval${evalIndex}`;
  return `${name}-${shortRunId(model.start?.runId ?? folder)}-${what}`;
}

/** `parent/base`, or `parent/base-2`, `-3`, … when taken. */
export function freeFolder(parent: string, base: string): string {
  for (let n = 1; ; n++) {
    const candidate = path.join(parent, n === 1 ? base : `${base}-${n}`);
    if (!fs.existsSync(candidate)) return candidate;
  }
}
