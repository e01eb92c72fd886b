/** What every dashboard panel offers the page; `M` is what it draws (a run, or runs compared). */
import type { RunFold } from '../../contract/fold';
import type { Palette } from './theme';

export interface PanelView<M = RunFold> {
  readonly root: HTMLElement;
  /** Redraws from the folded run (datasets updated in place, no animation). */
  render(run: M): void;
  /** New theme colours; the next render uses them too. */
  applyTheme(palette: Palette): void;
}
