/**
 * onnxruntime's NCHWc block size on this machine (16 with AVX-512, 8 with AVX2; graph/nchwcConvs.ts),
 * read from the kernel itself: ReorderInput pads the channel axis to whole blocks, so one channel
 * comes back as a block. 1 where the build or the CPU has no NCHWc kernels (the session fails).
 * Probed once per process.
 */
import { GraphBuilder } from '../graph/builder';
import { NCHWC_DOMAIN } from '../graph/nchwcConvs';
import { serializeModel } from '../graph/serialize';
import { openSession, tensor } from './session';

let probed: Promise<number> | undefined;

async function probe(): Promise<number> {
  const b = new GraphBuilder('nchwc_probe');
  const x = b.input('x', 'float32', [1, 1, 1, 1]);
  // The padded shape comes back as data: the intermediate's declared shape is never written out.
  const blocked = b.op(
    'ReorderInput',
    [x],
    {},
    { domain: NCHWC_DOMAIN, types: [{ dtype: 'float32', shape: [1, 1, 1, 1] }] },
  )[0];
  b.output(b.op('Shape', [blocked], {}, { types: [{ dtype: 'int64', shape: [4] }] })[0], 'dims');
  try {
    const session = await openSession(serializeModel(b), ['cpu'], { threads: 1 });
    try {
      const { dims } = await session.run({ x: tensor('float32', new Float32Array([1]), [1, 1, 1, 1]) });
      return Number((dims.data as BigInt64Array)[1]);
    } finally {
      await session.release();
    }
  } catch {
    return 1;
  }
}

export function nchwcBlockSize(): Promise<number> {
  return (probed ??= probe());
}
