/**
 * Trainable parameters: created once (seeded initial values, in layer order) and then
 * bound into each graph that needs them — as graph inputs for training / eval graphs
 * (values fed and fed back by the runtime) or as initializers for the exported model.
 */
import type { GraphBuilder, Value } from '../graph/builder';
import { Rng } from '../init';

export interface ParamSpec {
  name: string;
  shape: number[];
  data: Float32Array;
}

export type ParamBinding = 'input' | 'initializer';

export class ParamStore {
  readonly specs: ParamSpec[] = [];
  private readonly byName = new Map<string, ParamSpec>();
  readonly rng: Rng;

  constructor(seed: number) {
    this.rng = new Rng(seed);
  }

  /** The parameter's spec, initialised with `init` the first time it is asked for. */
  declare(name: string, shape: number[], init: (rng: Rng, n: number) => Float32Array): ParamSpec {
    const known = this.byName.get(name);
    if (known) {
      if (known.shape.join() !== shape.join())
        throw new Error(`parameter ${name} was declared as [${known.shape}] and again as [${shape}]`);
      return known;
    }
    const n = shape.reduce((a, b) => a * b, 1);
    const spec = { name, shape, data: init(this.rng, n) };
    this.specs.push(spec);
    this.byName.set(name, spec);
    return spec;
  }

  get count(): number {
    return this.specs.reduce((sum, s) => sum + s.data.length, 0);
  }
}

/** Binds declared parameters into one graph. */
export class ParamBinder {
  readonly values = new Map<string, Value>();

  constructor(
    readonly store: ParamStore,
    private readonly b: GraphBuilder,
    private readonly binding: ParamBinding,
    /** Training graphs may pass values they already hold (e.g. Loop-carried parameters). */
    private readonly provided?: Map<string, Value>,
  ) {}

  get(name: string, shape: number[], init: (rng: Rng, n: number) => Float32Array): Value {
    const spec = this.store.declare(name, shape, init);
    const existing = this.values.get(name) ?? this.provided?.get(name);
    if (existing) {
      this.values.set(name, existing);
      return existing;
    }
    const value =
      this.binding === 'input'
        ? this.b.input(name, 'float32', shape)
        : this.b.initializer(name, 'float32', shape, spec.data);
    this.values.set(name, value);
    return value;
  }
}
