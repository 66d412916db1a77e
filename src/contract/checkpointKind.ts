/** The two checkpoints a run keeps: `last` (resume from here) and `best` (by the monitored validation metric). */
export type CheckpointKind = 'last' | 'best';

export function isCheckpointKind(value: unknown): value is CheckpointKind {
  return value === 'last' || value === 'best';
}
