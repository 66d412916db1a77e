/**
 * The training process yields the cores to the editor: it runs below normal scheduling priority
 * (nice 10 on Linux and macOS, "below normal" on Windows), so typing, the command palette and the
 * panels get the CPU first while training takes the rest. Imported first by trainingProcess.ts,
 * before onnxruntime loads: on Linux the priority is per thread and new threads inherit their
 * creator's, so the threads started later (onnxruntime's pools, libuv's) start below normal too;
 * the few already running (V8's) are lowered one by one. A run's process is also lowered as a
 * scheduling group where Linux groups by session (trainer/autogroup.ts).
 */
import { readdirSync } from 'node:fs';
import { constants, setPriority } from 'node:os';
import { lowerOwnAutogroup } from './autogroup';

export const TRAINING_PRIORITY = constants.priority.PRIORITY_BELOW_NORMAL;

function threadIds(): number[] {
  try {
    return readdirSync('/proc/self/task').map(Number);
  } catch {
    return []; // no /proc (macOS, Windows): the priority is the process's
  }
}

try {
  setPriority(TRAINING_PRIORITY);
  for (const id of threadIds()) if (id !== process.pid) setPriority(id, TRAINING_PRIORITY);
} catch {
  // Lowering one's own priority is always allowed; should a platform refuse, training runs at normal priority.
}
lowerOwnAutogroup(TRAINING_PRIORITY);
