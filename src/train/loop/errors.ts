/** Training diverged: the loss of a step was NaN or ±Infinity. The update was not applied. */
export class NonFiniteLossError extends Error {
  override readonly name = 'NonFiniteLossError';
  constructor(
    readonly step: number,
    /** 0-based epoch the step belongs to. */
    readonly epoch: number,
    readonly loss: number,
    /** The last checkpoint saved before the divergence (kept on disk), if any. */
    readonly lastCheckpoint: string | undefined,
  ) {
    super(
      `training loss is ${loss} at step ${step} (epoch ${epoch + 1}); stopped before applying ` +
        `that update (try a lower learning rate). ` +
        (lastCheckpoint === undefined
          ? 'No checkpoint had been saved yet.'
          : `The last good checkpoint is kept: ${lastCheckpoint}`),
    );
  }
}
