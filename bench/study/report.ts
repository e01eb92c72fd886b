/**
 * Writes the study's outputs from its results: the PNG figures (when Chromium is
 * available) and docs/study.md.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveModelSource } from '../../src/engine/lab/model-source';
import { writeFileAtomic } from '../../src/train/atomic-write';
import type { StudyConfig } from './config';
import {
  type FigureSpec,
  hypervolumeFigure,
  landscapeFigure,
  transferFigure,
} from './figures/charts';
import { renderFigures } from './figures/render';
import { type FigureLinks, studyMarkdown } from './markdown';
import { modelFingerprint } from './model-pin';
import type { StudyResults } from './results';

/** The figures the results allow (a side experiment not done yet has none). */
export function studyFigures(
  study: StudyConfig,
  results: StudyResults,
): Record<keyof FigureLinks, FigureSpec | undefined> {
  const png = (name: string) => path.join(study.images, `${name}.png`);
  return {
    hypervolume: results.cells.some((c) => c.status === 'done')
      ? hypervolumeFigure(results, png('hypervolume'))
      : undefined,
    landscape: results.landscape ? landscapeFigure(results.landscape, png('landscape')) : undefined,
    transfer: results.transfer ? transferFigure(results.transfer, png('proxy-vs-full')) : undefined,
  };
}

/** Renders the figures (unless `figures` is false) and writes the markdown; returns the doc path. */
export async function writeStudyReport(
  study: StudyConfig,
  results: StudyResults,
  opts: { figures: boolean },
): Promise<string> {
  const specs = studyFigures(study, results);
  const links: FigureLinks = {};
  if (opts.figures) {
    const todo = Object.values(specs).filter((s): s is FigureSpec => s !== undefined);
    await renderFigures(todo);
    for (const [key, spec] of Object.entries(specs) as [
      keyof FigureLinks,
      FigureSpec | undefined,
    ][]) {
      if (spec) links[key] = path.relative(path.dirname(study.doc), spec.file);
    }
  }
  const root = path.resolve(__dirname, '../..');
  const shipped = modelFingerprint(resolveModelSource('embedded', root));
  writeFileAtomic(
    study.doc,
    studyMarkdown(
      results,
      path.relative(root, study.results),
      links,
      shipped,
      study.discussion && fs.existsSync(study.discussion)
        ? fs.readFileSync(study.discussion, 'utf8')
        : undefined,
    ),
  );
  return study.doc;
}
