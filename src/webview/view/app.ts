/**
 * The dashboard page: receives the host's snapshot and deltas, folds them into the run
 * model at once (cheap), and redraws the touched panels once per animation frame, so a
 * burst of thousands of events costs one redraw.
 */

import {
  applyDelta,
  emptyRunFold,
  foldEvents,
  type RunFold,
  type RunSection,
} from '../../contract/fold';
import {
  assertNever,
  type DashboardPersistedState,
  type DashboardRunState,
  type HostToWebviewMessage,
  isHostToWebviewMessage,
} from '../../contract/protocol';
import { applyChartDefaults, registerCharts } from './chart-setup';
import { el } from './dom';
import { hypervolumePanel, weightsPanel } from './fusion-panels';
import { headerPanel } from './header-panel';
import type { PanelView } from './panel';
import { parallelCoordinatesPanel } from './parallel-coordinates-panel';
import { paretoPanel } from './pareto-panel';
import { resultsPanel } from './results-panel';
import { readPalette, watchTheme } from './theme';
import { trainingPanel } from './training-panel';
import { trialCurvesPanel } from './trial-curves-panel';
import { trialTablePanel } from './trial-table-panel';
import { paramScatterPanel, trialHistoryPanel } from './trials-panels';
import type { DashboardHost } from './vscode-api';
import { weightsHeatmapPanel } from './weights-heatmap-panel';

const ALL_SECTIONS: readonly RunSection[] = ['run', 'search', 'train', 'fusion', 'results'];

export function startDashboard(host: DashboardHost, root: HTMLElement): void {
  const saved = host.getState() ?? {};
  const state: DashboardPersistedState = {
    runDir: root.dataset.runDir || saved.runDir || '',
    selectedEval: saved.selectedEval,
    paretoAxes: saved.paretoAxes,
    param: saved.param,
  };
  const persist = () => host.setState({ ...state });
  persist();

  registerCharts();
  let palette = readPalette();
  applyChartDefaults(palette);

  let run: RunFold = emptyRunFold();
  let lastSeq = -1;
  let name = '';
  let runState: DashboardRunState | undefined;
  /** The seq a resync was asked from; no second request for the same gap. */
  let awaitingResync: number | undefined;

  const header = headerPanel(() => host.post({ type: 'reveal-run' }));
  const pareto = paretoPanel({
    palette,
    selected: state.selectedEval,
    axes: state.paretoAxes,
    onSelect: (index) => {
      state.selectedEval = index;
      persist();
    },
    onAxesChange: (axes) => {
      state.paretoAxes = axes;
      persist();
    },
    onExport: (weights, evalIndex) => host.post({ type: 'export-fused', weights, evalIndex }),
  });
  const views: Record<Exclude<RunSection, 'run'>, PanelView[]> = {
    search: [
      trialHistoryPanel(palette),
      paramScatterPanel(palette, state.param, (param) => {
        state.param = param;
        persist();
      }),
      parallelCoordinatesPanel(palette),
      trialTablePanel(),
      trialCurvesPanel(palette),
    ],
    train: [trainingPanel(palette)],
    fusion: [
      pareto,
      hypervolumePanel(palette),
      weightsPanel(palette),
      weightsHeatmapPanel(palette),
    ],
    // The Pareto plot shows the baselines too.
    results: [resultsPanel(), pareto],
  };
  const ordered = [
    pareto,
    ...views.fusion.slice(1),
    views.results[0]!,
    ...views.search,
    ...views.train,
  ];
  root.replaceChildren(header.root, el('div', { class: 'grid' }, ...ordered.map((v) => v.root)));

  const dirty = new Set<RunSection>(ALL_SECTIONS);
  let frame = 0;
  const flush = () => {
    frame = 0;
    const rendered = new Set<PanelView>();
    for (const panel of dirty) {
      if (panel === 'run') {
        header.render(run, name, runState);
        continue;
      }
      for (const view of views[panel]) {
        if (rendered.has(view)) continue;
        rendered.add(view);
        view.render(run);
      }
    }
    dirty.clear();
  };
  const schedule = (panels: Iterable<RunSection>) => {
    for (const p of panels) dirty.add(p);
    if (frame === 0) frame = requestAnimationFrame(flush);
  };

  const receive = (message: HostToWebviewMessage) => {
    switch (message.type) {
      case 'snapshot': {
        run = emptyRunFold();
        foldEvents(run, message.events);
        lastSeq = message.lastSeq;
        name = message.name;
        runState = message.state;
        awaitingResync = undefined;
        if (message.runDir !== state.runDir) {
          state.runDir = message.runDir;
          persist();
        }
        schedule(ALL_SECTIONS);
        return;
      }
      case 'events': {
        const delta = applyDelta(lastSeq, message.events);
        lastSeq = delta.lastSeq;
        schedule(foldEvents(run, delta.accepted));
        if (delta.resyncFrom === undefined) awaitingResync = undefined;
        else if (delta.resyncFrom !== awaitingResync) {
          awaitingResync = delta.resyncFrom;
          host.post({ type: 'resync', fromSeq: delta.resyncFrom });
        }
        return;
      }
      case 'run-state':
        runState = message.state;
        schedule(['run']);
        return;
      default:
        assertNever(message);
    }
  };

  window.addEventListener('message', (event: MessageEvent) => {
    if (isHostToWebviewMessage(event.data)) receive(event.data);
  });
  watchTheme(() => {
    palette = readPalette();
    applyChartDefaults(palette);
    for (const view of new Set(Object.values(views).flat())) view.applyTheme(palette);
  });
  schedule(ALL_SECTIONS);
  host.post({ type: 'ready' });
}
