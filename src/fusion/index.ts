// Public surface of the fusion layer: checkpoint I/O, weighted averaging, baselines.
export {};
