/**
 * The environment the PyTorch peer trains in, chosen fairly: OpenBLAS picks its best kernel for
 * the machine unless OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE pin it. Some environments pin it to an
 * older kernel (Haswell on an AVX-512 machine), which halves the peer's matrix speed while
 * onnxruntime's own kernels stay unpinned; a user timing their own PyTorch would not see that
 * handicap. So the peer runs without those variables, but only after bench/pytorch/blas_probe.py
 * has checked its float32 products against a float64 reference in that environment; if they
 * disagree (or the probe dies), the peer keeps the environment as it was and the reason is printed.
 * The engine's process is not touched: onnxruntime does not read these variables. The peer also
 * keeps the memory it frees (glibc tunables, below) and waits for work passively.
 */
import { spawnSync } from 'node:child_process';

export const PYTHON = '/usr/bin/python3';
const PINNING = ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE'];

/** What blas_probe.py prints. */
export interface PeerProbe {
  torch: string;
  corename: string;
  blasConfig: string;
  blasThreads: number | null;
  onednnIsa: string;
  atenCapability: string;
  threads: { intraOp: number; interOp: number; env: Record<string, string | null> };
  check: { errors: Record<string, number>; tolerance: number; ok: boolean };
  gemmGflops: number;
}

export interface FairPeer {
  env: NodeJS.ProcessEnv;
  probe: PeerProbe;
  /** How the environment was chosen, one line each, for the bench's header. */
  notes: string[];
}

/**
 * The peer keeps the memory it frees for its next step, as onnxruntime's arena does for the
 * engine. With glibc's defaults PyTorch hands a step's freed activations back to the kernel
 * (the heap's top is trimmed, and blocks above the mmap threshold are unmapped) and faults
 * the pages in again on the next step. Measured on the Transformer template (Debian's torch,
 * 2 cores, AMD EPYC): 79–140 ms per step with glibc's defaults, 38–49 ms keeping the memory
 * (these tunables; tcmalloc preloaded: 48 ms). 32 MiB is the largest mmap threshold glibc
 * accepts; the trim threshold alone would fix the mmap threshold at 128 KiB (355 ms).
 * BENCH_PEER_ALLOCATOR=default measures the peer with glibc's defaults instead.
 */
const KEEP_FREED_MEMORY = ['glibc.malloc.mmap_threshold=33554432', 'glibc.malloc.trim_threshold=4294967296'];

function keepsFreedMemory(): boolean {
  return process.env.BENCH_PEER_ALLOCATOR !== 'default';
}

/**
 * Passive OpenMP waiting: with OpenMP's default spinning, torch's OpenMP threads and OpenBLAS's
 * own threads fight over the cores (an LSTM step took 1.4 s instead of 8 ms on 2 cores under
 * load); passive is PyTorch's fastest setting on this machine.
 */
function peerBase(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const base = { ...env, OMP_WAIT_POLICY: 'PASSIVE' };
  if (!keepsFreedMemory()) return base;
  const tunables = [env.GLIBC_TUNABLES, ...KEEP_FREED_MEMORY].filter(Boolean).join(':');
  return { ...base, GLIBC_TUNABLES: tunables };
}

/** How the peer's allocator is set, for the bench's header. */
function allocatorNote(): string {
  return keepsFreedMemory()
    ? `the peer keeps the memory it frees, as onnxruntime's arena does (GLIBC_TUNABLES=${KEEP_FREED_MEMORY.join(':')}); BENCH_PEER_ALLOCATOR=default measures glibc's defaults`
    : "BENCH_PEER_ALLOCATOR=default: the peer runs with glibc's default allocator settings (it returns freed memory to the kernel every step)";
}

function runProbe(
  env: NodeJS.ProcessEnv,
  config: { threads: number; gemm: number[]; seconds: number },
): { probe?: PeerProbe; failure?: string } {
  const run = spawnSync(PYTHON, ['bench/pytorch/blas_probe.py', JSON.stringify(config)], {
    env,
    encoding: 'utf8',
  });
  if (run.status !== 0) {
    const why = run.signal ? `killed by ${run.signal}` : `exit ${run.status ?? run.error?.message}`;
    return { failure: `the probe failed (${why}): ${run.stderr.trim().split('\n').slice(-3).join(' | ')}` };
  }
  return { probe: JSON.parse(run.stdout) as PeerProbe };
}

const worstError = (p: PeerProbe) => Math.max(...Object.values(p.check.errors));

export function chooseFairPeer(config: { threads: number; gemm: number[]; seconds: number }): FairPeer {
  const pinned = PINNING.filter((name) => process.env[name] !== undefined);
  const asIs = peerBase(process.env);
  if (pinned.length === 0) {
    const { probe, failure } = runProbe(asIs, config);
    if (!probe) throw new Error(`PyTorch peer: ${failure}`);
    return {
      env: asIs,
      probe,
      notes: ['OpenBLAS is not pinned in this environment: its own choice of kernel'],
    };
  }
  const unpinnedEnv = { ...asIs };
  for (const name of pinned) delete unpinnedEnv[name];
  const pinning = pinned.map((name) => `${name}=${process.env[name]}`).join(' ');
  const unpinned = runProbe(unpinnedEnv, config);
  if (unpinned.probe?.check.ok) {
    return {
      env: unpinnedEnv,
      probe: unpinned.probe,
      notes: [
        `the environment pins OpenBLAS (${pinning}); the peer runs without it: its float32 products ` +
          `matched float64 to ${worstError(unpinned.probe).toExponential(1)} (tolerance ${unpinned.probe.check.tolerance})`,
      ],
    };
  }
  const reason =
    unpinned.failure ??
    `its float32 products disagreed with float64 (${JSON.stringify(unpinned.probe?.check.errors)}, tolerance ${unpinned.probe?.check.tolerance})`;
  const kept = runProbe(asIs, config);
  if (!kept.probe) throw new Error(`PyTorch peer: ${kept.failure}`);
  return {
    env: asIs,
    probe: kept.probe,
    notes: [`FALLBACK: the peer keeps ${pinning}: without it ${reason}`],
  };
}

/** The peer's set-up in a few lines. */
export function describePeer(peer: FairPeer): string[] {
  const p = peer.probe;
  const env = Object.entries(p.threads.env)
    .map(([k, v]) => `${k}=${v ?? '(unset)'}`)
    .join(' ');
  return [
    ...peer.notes,
    allocatorNote(),
    `PyTorch ${p.torch}: OpenBLAS kernel ${p.corename} (${p.blasConfig}; ${p.blasThreads ?? '?'} threads)`,
    `  oneDNN ISA: ${p.onednnIsa}; ATen kernels: ${p.atenCapability}`,
    `  torch threads: intra-op ${p.threads.intraOp}, inter-op ${p.threads.interOp}; ${env}`,
    `  float32 vs float64 check: worst relative error ${worstError(p).toExponential(1)} over ${Object.keys(p.check.errors).join(', ')}`,
  ];
}
