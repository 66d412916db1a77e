/** A session kept open to be timed again and again, in every round of a bench (bench/templateBench.ts). */
import type { Session, Tensor } from '../src/engine/runtime/session';

export interface SessionTimer {
  /** Wall ms of each of `runs` runs of the session on the same feeds. */
  time(runs: number): Promise<number[]>;
  release(): Promise<void>;
}

export function sessionTimer(session: Session, feeds: Record<string, Tensor>): SessionTimer {
  return {
    async time(runs) {
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const start = performance.now();
        await session.run(feeds);
        times.push(performance.now() - start);
      }
      return times;
    },
    release: () => session.release(),
  };
}
