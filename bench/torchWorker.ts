/** The PyTorch side of the engine bench: one long-lived bench/pytorch/train_worker.py process. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { CompileOptions } from '../src/engine';
import { PYTHON } from './fairPeer';

export interface TorchSteps {
  /** Wall time of each step. */
  ms: number[];
  /** Process CPU time of all the steps (all threads). */
  cpuMs: number;
  /** The process's peak resident set so far. */
  maxRssMb: number;
}

export class TorchWorker {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterator<string>;

  /** `env`: the peer's environment (bench/fairPeer.ts). */
  constructor(o: CompileOptions, threads: number, env: NodeJS.ProcessEnv) {
    const config = { ...o.model, ...o, threads };
    this.child = spawn(PYTHON, ['bench/pytorch/train_worker.py', JSON.stringify(config)], { env });
    this.child.stderr.on('data', (d: Buffer) => process.stderr.write(d));
    this.lines = createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
  }

  async next<T>(): Promise<T> {
    const line = await this.lines.next();
    if (line.done) throw new Error('the PyTorch worker exited');
    return JSON.parse(line.value) as T;
  }

  async steps(n: number): Promise<TorchSteps> {
    this.child.stdin.write(`${JSON.stringify({ steps: n })}\n`);
    return this.next<TorchSteps>();
  }

  close(): void {
    this.child.stdin.end();
  }
}
