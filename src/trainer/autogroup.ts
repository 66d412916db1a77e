/**
 * Linux's scheduler shares the CPU fairly between autogroups (one per session, when
 * kernel.sched_autogroup_enabled is on, as on most desktops) before it looks at a thread's nice
 * value, and nice only orders threads inside their group. A run trained from the editor is forked
 * detached (its own session, so a window reload leaves it training), hence its own group: at nice
 * 10 alone in it, it still took as much CPU as the whole editor's group, and the command palette
 * waited for it. Giving the group itself the training priority makes nice mean what it says.
 * A process that shares its parent's group (an engine check, the playground) leaves the group
 * alone: lowering it would lower the extension host with it.
 */
import { readFileSync, writeFileSync } from 'node:fs';

/** "/autogroup-42 nice 0" → its id and nice value; undefined where there is no such file. */
export function readAutogroup(pid: number | 'self'): { id: string; nice: number } | undefined {
  try {
    const match = /^(\/autogroup-\d+)\s+nice\s+(-?\d+)/.exec(readFileSync(`/proc/${pid}/autogroup`, 'utf8'));
    return match ? { id: match[1], nice: Number(match[2]) } : undefined;
  } catch {
    return undefined; // not Linux, or a kernel without autogroups
  }
}

/** The kernel takes one unprivileged autogroup change per 100 ms machine-wide (EAGAIN otherwise). */
const RETRY_MS = 150;
const ATTEMPTS = 5;

/** Sets this process's autogroup to `nice` when the group is its own (not its parent's). */
export function lowerOwnAutogroup(nice: number): void {
  const own = readAutogroup('self');
  if (!own || own.nice >= nice || own.id === readAutogroup(process.ppid)?.id) return;
  const attempt = (left: number): void => {
    try {
      writeFileSync('/proc/self/autogroup', String(nice));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EAGAIN' && left > 1)
        setTimeout(() => attempt(left - 1), RETRY_MS).unref();
      // Otherwise training keeps its group's normal share: nice still orders it inside the group.
    }
  };
  attempt(ATTEMPTS);
}
