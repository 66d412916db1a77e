/**
 * Deterministic, seeded random numbers for weight initialisation and dropout keys.
 * mulberry32 (32-bit state, fast, good enough for initialisation) plus Box–Muller normals.
 */
export class Rng {
  private state: number;
  private spare: number | undefined;

  constructor(seed: number) {
    this.state = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Standard normal. */
  normal(): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return s;
    }
    const u = 1 - this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** A 31-bit integer (seeds for derived streams). */
  int31(): number {
    return Math.floor(this.uniform() * 2147483647);
  }
}

/** Uniform in [-bound, bound]. */
export function uniformInit(rng: Rng, n: number, bound: number): Float32Array {
  return Float32Array.from({ length: n }, () => (2 * rng.uniform() - 1) * bound);
}

export function normalInit(rng: Rng, n: number, std: number): Float32Array {
  return Float32Array.from({ length: n }, () => rng.normal() * std);
}

/** Glorot/Xavier uniform: keeps activation variance for tanh / linear layers. */
export function glorot(rng: Rng, fanIn: number, fanOut: number, n: number): Float32Array {
  return uniformInit(rng, n, Math.sqrt(6 / (fanIn + fanOut)));
}

/** He/Kaiming uniform: keeps activation variance through ReLU. */
export function he(rng: Rng, fanIn: number, n: number): Float32Array {
  return uniformInit(rng, n, Math.sqrt(6 / fanIn));
}
