/**
 * A checkpoint of an imported model with BatchNormalization that lacks the node's running mean
 * and variance: checkpoints saved before Model Lab kept them as training state (they were
 * fixed constants of the file then). The caller knows which file it read, and says so.
 */
export class MissingRunningStatisticsError extends Error {
  /** `statistics`: the ONNX initializer names of the running means and variances not found. */
  constructor(readonly statistics: readonly string[]) {
    super(
      `the checkpoint has no BatchNormalization running statistics (${statistics.join(', ')}): ` +
        'it was saved before checkpoints kept them',
    );
    this.name = 'MissingRunningStatisticsError';
  }
}
