"""Reference side of bench/recurrent-vs-pytorch.ts: reads the engine's inputs and results
as JSON on stdin, recomputes them with torch.nn.LSTM / GRU and prints max |difference|."""
import json
import sys

import torch

p = json.load(sys.stdin)
B, T, I, H = p["dims"]
cell = p["cell"]
ins = {k: torch.tensor(v, dtype=torch.float64) for k, v in p["inputs"].items()}
shape = {"x": (B, T, I), "h0": (1, B, H), "c0": (1, B, H), "r_seq": (B, T, H), "r_last": (B, H)}
for k, s in shape.items():
    if k in ins:
        ins[k] = ins[k].reshape(s)

module = (torch.nn.LSTM if cell == "lstm" else torch.nn.GRU)(I, H, batch_first=True).double()
gates = 4 if cell == "lstm" else 3
with torch.no_grad():
    module.weight_ih_l0.copy_(ins["weight_ih"].reshape(gates * H, I))
    module.weight_hh_l0.copy_(ins["weight_hh"].reshape(gates * H, H))
    module.bias_ih_l0.copy_(ins["bias_ih"])
    module.bias_hh_l0.copy_(ins["bias_hh"])
x = ins["x"].clone().requires_grad_()
h0 = ins["h0"].clone().requires_grad_()
if cell == "lstm":
    c0 = ins["c0"].clone().requires_grad_()
    seq, (hn, _) = module(x, (h0, c0))
else:
    seq, hn = module(x, h0)
last = hn[0]
loss = (seq * ins["r_seq"]).sum() + (last * ins["r_last"]).sum()
loss.backward()

ref = {
    "seq": seq,
    "last": last,
    "loss": loss,
    "grad_x": x.grad,
    "grad_h0": h0.grad,
    "grad_weight_ih": module.weight_ih_l0.grad,
    "grad_weight_hh": module.weight_hh_l0.grad,
    "grad_bias_ih": module.bias_ih_l0.grad,
    "grad_bias_hh": module.bias_hh_l0.grad,
}
if cell == "lstm":
    ref["grad_c0"] = c0.grad
worst = 0.0
parts = []
for k, t in ref.items():
    ours = torch.tensor(p["engine"][k], dtype=torch.float64).reshape(t.shape)
    diff = (ours - t.detach()).abs().max().item()
    worst = max(worst, diff)
    parts.append(f"{k} {diff:.2e}")
print(f"{cell} B={B} T={T} I={I} H={H} vs torch {torch.__version__} (float64): max |diff| {worst:.2e}")
print("  " + ", ".join(parts))
