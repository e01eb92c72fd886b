// Public surface of the fusion layer: checkpoint I/O, weighted averaging, baselines, export.
export * from './average';
export * from './baselines';
export * from './export';
export * from './stacked';
