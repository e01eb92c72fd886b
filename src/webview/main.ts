/**
 * Browser side of the dashboard webview. Chart.js is bundled here so the webview
 * loads no remote content.
 */
import { Chart, registerables } from 'chart.js';

Chart.register(...registerables);

/** Exposed for the bundle smoke test and for later panels. */
export const chartJsVersion: string = Chart.version;
