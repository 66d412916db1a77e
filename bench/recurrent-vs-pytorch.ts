/**
 * Development cross-check (not a test): the engine's LSTM and GRU against torch.nn.LSTM /
 * torch.nn.GRU with identical weights. Runs forward and backward here, hands inputs and
 * results to bench/pytorch/recurrent.py (Debian's PyTorch at /usr/bin/python3) and prints
 * the largest absolute difference per tensor.
 *
 *   npx tsx bench/recurrent-vs-pytorch.ts
 */
import { spawnSync } from 'node:child_process';
import { gradients } from '../src/engine/autodiff/backward';
import { GraphBuilder, type Value } from '../src/engine/graph/builder';
import { serializeModel } from '../src/engine/graph/serialize';
import { Rng, uniformInit } from '../src/engine/init';
import { gruSequence } from '../src/engine/recurrent/gru';
import { lstmSequence } from '../src/engine/recurrent/lstm';
import { openSession, tensor } from '../src/engine/runtime/session';

const [B, T, I, H] = [8, 16, 10, 32];

async function run(cell: 'lstm' | 'gru') {
  const rng = new Rng(cell === 'lstm' ? 1 : 2);
  const gates = cell === 'lstm' ? 4 : 3;
  const shapes: Record<string, number[]> = {
    x: [B, T, I],
    h0: [B, H],
    ...(cell === 'lstm' && { c0: [B, H] }),
    weight_ih: [gates * H, I],
    weight_hh: [gates * H, H],
    bias_ih: [gates * H],
    bias_hh: [gates * H],
    r_seq: [B, T, H],
    r_last: [B, H],
  };
  const data = Object.fromEntries(
    Object.entries(shapes).map(([k, s]) => [
      k,
      uniformInit(
        rng,
        s.reduce((a, b) => a * b, 1),
        k.startsWith('r_') ? 1 : 0.5,
      ),
    ]),
  );
  const b = new GraphBuilder();
  const v: Record<string, Value> = Object.fromEntries(
    Object.entries(shapes).map(([k, s]) => [k, b.input(k, 'float32', s)]),
  );
  const w = { wIh: v.weight_ih, wHh: v.weight_hh, bIh: v.bias_ih, bHh: v.bias_hh };
  const out = cell === 'lstm' ? lstmSequence(b, v.x, w, v.h0, v.c0) : gruSequence(b, v.x, w, v.h0);
  b.output(out.sequence, 'seq');
  b.output(out.last, 'last');
  // loss = Σ seq·r_seq + Σ last·r_last (the Python side computes the same).
  const loss = b.add(
    b.reduceSum(b.mul(out.sequence, v.r_seq), []),
    b.reduceSum(b.mul(out.last, v.r_last), []),
  );
  b.output(loss, 'loss');
  const wrt = Object.keys(shapes).filter((k) => !k.startsWith('r_'));
  const grads = gradients(
    b,
    loss,
    wrt.map((k) => v[k]),
  );
  for (const k of wrt) b.output(grads.get(k)!, `grad_${k}`);
  const session = await openSession(serializeModel(b));
  const feeds = Object.fromEntries(
    Object.entries(shapes).map(([k, s]) => [k, tensor('float32', data[k], s)]),
  );
  const result = await session.run(feeds);
  const engine = Object.fromEntries(
    Object.entries(result).map(([k, t]) => [k, Array.from(t.data as Float32Array)]),
  );
  const payload = JSON.stringify({
    cell,
    dims: [B, T, I, H],
    inputs: Object.fromEntries(Object.entries(data).map(([k, d]) => [k, Array.from(d)])),
    engine,
  });
  const py = spawnSync('/usr/bin/python3', ['bench/pytorch/recurrent.py'], {
    input: payload,
    encoding: 'utf8',
  });
  if (py.status !== 0) throw new Error(py.stderr);
  process.stdout.write(py.stdout);
}

async function main() {
  await run('lstm');
  await run('gru');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
