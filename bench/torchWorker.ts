/** The PyTorch side of the engine bench: one long-lived bench/pytorch/train_worker.py process. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
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

  /** `config`: train_worker.py's configuration; `env`: the peer's environment (bench/fairPeer.ts). */
  constructor(config: object, env: NodeJS.ProcessEnv) {
    this.child = spawn(PYTHON, ['bench/pytorch/train_worker.py', JSON.stringify(config)], { env });
    this.child.stderr.on('data', (d: Buffer) => process.stderr.write(d));
    this.lines = createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
  }

  private hello?: Promise<{ torch: string; threads: number }>;

  /** The worker's first line: it has built its model (and exported it, for an imported model). */
  ready(): Promise<{ torch: string; threads: number }> {
    return (this.hello ??= this.next());
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

  /** Wall ms of each of `runs` torch.mm products of the [M, K]·[K, N] `shape` (the bench's matmul peak). */
  async gemm(shape: number[], runs: number): Promise<number[]> {
    this.child.stdin.write(`${JSON.stringify({ gemm: shape, runs })}\n`);
    return (await this.next<{ ms: number[] }>()).ms;
  }

  close(): void {
    this.child.stdin.end();
  }
}
