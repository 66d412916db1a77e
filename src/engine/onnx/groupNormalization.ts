/**
 * GroupNormalization (opset 18; nn.GroupNorm exported at opset 18+): each sample's
 * channels split into num_groups groups, each normalized over its channels and spatial axes
 * with that sample's statistics, then scaled and shifted. Built as InstanceNormalization is: the
 * engine's LayerNormalization with unit scale over x seen as [N, groups, rest], whose rule has
 * the closed form, then the scale and shift: one per group spread over its channels (opset 18),
 * or one per channel (opset 21). Their size tells which, and where groups equal channels the two
 * are the same.
 */
import type { Value } from '../graph/builder';
import { attrFloat, attrInt, type OpImporter } from './opImporter';

export const GROUP_NORMALIZATION_OP: OpImporter = {
  attrs: ['num_groups', 'epsilon', 'stash_type'],
  check: (n) =>
    attrInt(n, 'num_groups', 0) < 1
      ? 'a missing or non-positive num_groups'
      : attrInt(n, 'stash_type', 1) !== 1
        ? 'stash_type other than 1 (float32 statistics)'
        : undefined,
  emit: (c) => {
    const { b } = c;
    const x = c.x(0);
    if (x.rank < 3) throw new Error(`its input has rank ${x.rank}; it needs [batch, channels, …]`);
    const groups = attrInt(c.node, 'num_groups', 1);
    const [n, channels] = x.shape;
    if (channels % groups) throw new Error(`${channels} channels do not split into ${groups} groups`);
    const perGroup = x.size / (n * groups);
    const ones = b.constant(new Array<number>(perGroup).fill(1), [perGroup], x.dtype);
    const epsilon = attrFloat(c.node, 'epsilon', 1e-5);
    const grouped = b.reshape(x, [n, groups, perGroup]);
    const normalized = b.reshape(
      b.op('LayerNormalization', [grouped, ones], { axis: 2, epsilon })[0],
      x.shape,
    );
    const perChannel = (v: Value, what: string) => {
      if (v.size === channels) return b.reshape(v, [channels, ...x.shape.slice(2).map(() => 1)]);
      if (v.size !== groups)
        throw new Error(
          `its ${what} has ${v.size} values; it needs one per group (${groups}) or one per channel (${channels})`,
        );
      // [groups] as [groups, 1] expanded to [groups, channels / groups]: one value per channel.
      const spread = b.op('Expand', [b.reshape(v, [groups, 1]), b.ints([groups, channels / groups])])[0];
      return b.reshape(spread, [channels, ...x.shape.slice(2).map(() => 1)]);
    };
    return [b.add(b.mul(normalized, perChannel(c.x(1), 'scale')), perChannel(c.x(2), 'bias'))];
  },
};
