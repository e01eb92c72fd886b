/**
 * The data checks of `bomf validate`: the run's own loader reads every data file, so a missing
 * column, an unknown label, a row with a stray tab or a single-class file is found before a run
 * folder exists. Each problem points at the config field of the file it is about, and its
 * message names the data file, line and column.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataError, type DataSpec, loadDataset } from '../../train/data';
import { dataWarnings } from '../../train/data/summary';
import { printable } from '../../train/data/text-hygiene';
import type { ExperimentConfig } from './schema';
import type { SemanticIssue } from './semantics';

const SPLITS = ['train', 'validation', 'test'] as const;

/** The last check's inputs and result: the editor re-validates on every keystroke. */
let cached: { key: string; issues: SemanticIssue[] } | undefined;

/** Spec and file stamps: the result holds until the data section or a data file changes. */
function cacheKey(spec: DataSpec, baseDir: string): string {
  const stamps = SPLITS.map((split) => {
    const file = spec[split];
    if (!file) return null;
    try {
      const st = fs.statSync(path.resolve(baseDir, file));
      return [st.size, st.mtimeMs];
    } catch {
      return 'missing';
    }
  });
  return JSON.stringify([spec, baseDir, stamps]);
}

/** The config field that names `file`, so the diagnostic lands on it. */
function fieldOf(spec: DataSpec, baseDir: string, file: string): (string | number)[] {
  const split = SPLITS.find((s) => spec[s] && path.resolve(baseDir, spec[s]!) === file);
  return ['data', split ?? 'train'];
}

/** `data/train.tsv:7:`, relative to the config's folder when the file lies below it. */
function located(baseDir: string, where: { file: string; line?: number }): string {
  const rel = path.relative(baseDir, where.file);
  const name = rel.startsWith('..') || path.isAbsolute(rel) ? where.file : rel;
  return `${name}${where.line !== undefined ? `:${where.line}` : ''}:`;
}

export function checkData(config: ExperimentConfig, baseDir: string): SemanticIssue[] {
  const spec: DataSpec = { ...config.data, seed: config.seed };
  const key = cacheKey(spec, baseDir);
  if (cached?.key === key) return cached.issues;
  let issues: SemanticIssue[];
  try {
    issues = dataWarnings(loadDataset(spec, baseDir)).map((w) => ({
      path: fieldOf(spec, baseDir, w.file),
      severity: 'warning' as const,
      message: printable(`${located(baseDir, w)} ${w.message}`),
    }));
  } catch (err) {
    if (!(err instanceof DataError)) throw err;
    const column = err.column !== undefined ? ` column '${printable(err.column)}':` : '';
    issues = [
      {
        path: fieldOf(spec, baseDir, err.file),
        severity: 'error',
        message: `${located(baseDir, err)}${column} ${err.detail}`,
      },
    ];
  }
  cached = { key, issues };
  return issues;
}
