/**
 * Series over training steps (losses, evaluations) folded from the event log.
 * A resumed run redoes the steps after its last checkpoint and logs them again;
 * a step at or before the series' last one therefore starts over from there:
 * the redone steps replace the first attempt instead of being listed twice.
 */
export function appendStep<T extends { step: number }>(series: T[], row: T): void {
  while (series.length > 0 && series[series.length - 1]!.step >= row.step) series.pop();
  series.push(row);
}
