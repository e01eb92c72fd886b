// Public surface of the Bayesian-optimization core. Imports nothing else of ours.
export {};
