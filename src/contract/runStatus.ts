/** Where a run stands (run.json `status`, the Runs view, panels) and the data splits its metrics belong to. */

export type RunStatus = 'queued' | 'running' | 'completed' | 'stopped' | 'failed' | 'interrupted';

export const SPLITS = ['train', 'validation', 'test'] as const;
export type Split = (typeof SPLITS)[number];

export function isSplit(value: unknown): value is Split {
  return (SPLITS as readonly unknown[]).includes(value);
}
