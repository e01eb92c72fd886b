/** What every dashboard panel offers the page. */
import type { RunFold } from '../../contract/fold';
import type { Palette } from './theme';

export interface PanelView {
  readonly root: HTMLElement;
  /** Redraws from the folded run (datasets updated in place, no animation). */
  render(run: RunFold): void;
  /** New theme colours; the next render uses them too. */
  applyTheme(palette: Palette): void;
}
