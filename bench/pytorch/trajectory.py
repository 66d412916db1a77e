"""Loss trajectory of Model Lab models re-built in PyTorch from the engine's initial weights.

Reads a JSON job on stdin (written by bench/trajectory-vs-pytorch.ts): layers, loss, optimizer,
weights (engine layout), batches and learning rates. Prints the per-step losses as JSON.
Development cross-check only; the product and `npm test` never need Python.
"""
import json
import math
import sys

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float32)
job = json.load(sys.stdin)
W = {k: torch.tensor(v["data"], dtype=torch.float32).reshape(v["dims"]).requires_grad_() for k, v in job["weights"].items()}


def linear(x, name):
    # engine layout: weight [in, out], y = x·W + b on the last axis
    return x @ W[name + ".weight"] + W[name + ".bias"]


def layer_norm(x, name):
    return F.layer_norm(x, (x.shape[-1],), W[name + ".gamma"], W[name + ".beta"], 1e-5)


def act(x, a):
    return {"relu": F.relu, "gelu": F.gelu, "tanh": torch.tanh, "sigmoid": torch.sigmoid}.get(a, lambda v: v)(x)


def attention(x, heads, causal, name):
    b, t, d = x.shape
    dh = d // heads
    q, k, v = linear(x, name + ".qkv").split(d, dim=2)
    q, k, v = [z.reshape(b, t, heads, dh).transpose(1, 2) for z in (q, k, v)]
    scores = (q * (1 / math.sqrt(dh))) @ k.transpose(2, 3)
    if causal:
        scores = scores + torch.triu(torch.full((t, t), -1e9), diagonal=1)
    probs = torch.softmax(scores, dim=-1)
    return linear((probs @ v).transpose(1, 2).reshape(b, t, d), name + ".out")


def forward(x):
    for i, l in enumerate(job["layers"]):
        p = f"layer{i}"
        kind = l["type"]
        if kind == "dense":
            x = act(linear(x, p + ".dense"), l.get("activation"))
        elif kind == "conv2d":
            k = l["kernel"]
            pad = (k - 1) // 2 if l.get("padding") == "same" else int(l.get("padding", 0) if l.get("padding") != "valid" else 0)
            x = act(F.conv2d(x, W[p + ".conv2d.weight"], W[p + ".conv2d.bias"], stride=l.get("stride", 1), padding=pad, dilation=l.get("dilation", 1)), l.get("activation"))
        elif kind == "maxpool2d":
            x = F.max_pool2d(x, l["size"], l.get("stride", l["size"]))
        elif kind == "flatten":
            x = x.flatten(1)
        elif kind == "embedding":
            x = W[p + ".embedding.weight"][x] + W[p + ".embedding.position"]
        elif kind == "transformer":
            n = p + ".transformer"
            h = x + attention(layer_norm(x, n + ".ln1"), l["heads"], l.get("causal", False), n + ".attention")
            x = h + linear(F.gelu(linear(layer_norm(h, n + ".ln2"), n + ".ff1")), n + ".ff2")
        elif kind == "layernorm":
            x = layer_norm(x, p + ".layernorm")
        else:
            raise ValueError(kind)
    return x


opt = job["optimizer"]
params = list(W.values())
if opt["type"] == "sgd":
    optimizer = torch.optim.SGD(params, lr=opt["learningRate"], momentum=opt.get("momentum", 0), weight_decay=opt.get("weightDecay", 0))
elif opt["type"] == "adam":
    optimizer = torch.optim.Adam(params, lr=opt["learningRate"], betas=tuple(opt.get("betas", (0.9, 0.999))), weight_decay=opt.get("weightDecay", 0))
else:
    optimizer = torch.optim.AdamW(params, lr=opt["learningRate"], betas=tuple(opt.get("betas", (0.9, 0.999))), weight_decay=opt.get("weightDecay", 0))

losses = []
for batch, lr in zip(job["batches"], job["lrs"]):
    for group in optimizer.param_groups:
        group["lr"] = lr
    x = torch.tensor(batch["x"]).reshape(job["inputShape"])
    x = x.long() if job["inputKind"] == "tokens" else x.float()
    out = forward(x)
    if job["loss"] == "cross-entropy":
        y = torch.tensor(batch["y"]).long()
        loss = F.cross_entropy(out.reshape(-1, out.shape[-1]), y.reshape(-1), label_smoothing=job.get("labelSmoothing", 0))
    else:
        loss = F.mse_loss(out, torch.tensor(batch["y"]).reshape(out.shape))
    optimizer.zero_grad()
    loss.backward()
    if job.get("clipNorm") is not None:
        torch.nn.utils.clip_grad_norm_(params, job["clipNorm"])
    optimizer.step()
    losses.append(loss.item())
print(json.dumps(losses))
