/**
 * The table's rows from the run registry. Each run's log is folded incrementally (only the
 * events appended since the last build), and a row is rebuilt only when its run changed: the
 * paired bootstrap behind the verdict is worth computing once per finished run, not per redraw.
 */
import type { ExperimentRow } from '../../contract/experiments-protocol';
import { emptyRunFold, foldEvents, type RunFold } from '../../contract/fold';
import { experimentRow } from '../../webview/model/experiment-rows';
import type { RunHandle, RunRegistry } from '../runs/registry';

interface Cached {
  fold: RunFold;
  folded: number;
  key: string;
  row: ExperimentRow;
}

export class ExperimentRowCache {
  private readonly byHandle = new WeakMap<RunHandle, Cached>();

  rows(registry: RunRegistry, now: number): ExperimentRow[] {
    return registry.all().map((handle) => this.row(handle, now));
  }

  private row(handle: RunHandle, now: number): ExperimentRow {
    let cached = this.byHandle.get(handle);
    const key = `${handle.events.length}|${handle.name}|${handle.state}`;
    // A running run's duration grows without new events.
    if (cached && cached.key === key && handle.state !== 'running') return cached.row;
    const fold = cached?.fold ?? emptyRunFold();
    foldEvents(fold, handle.events.slice(cached?.folded ?? 0));
    const row = experimentRow(
      { runDir: handle.runDir, title: handle.name, state: handle.state, fold },
      now,
    );
    cached = { fold, folded: handle.events.length, key, row };
    this.byHandle.set(handle, cached);
    return row;
  }
}
