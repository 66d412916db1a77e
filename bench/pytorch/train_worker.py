"""PyTorch side of bench/engine-vs-pytorch.ts: builds the experiment's model in PyTorch
(same layers, shapes, optimizer, clipping and loss as Model Lab's engine), then answers
commands on stdin, one JSON line each:

  {"steps": n}  ->  {"ms": [n wall times], "cpuMs": total process CPU time of the n steps,
                     "maxRssMb": the process's peak resident set so far}
  (a step: zero_grad, forward, loss, backward, clip, optimizer step)
  {"gemm": [M, K, N], "runs": n}  ->  {"ms": [n wall times of torch.mm into a preallocated result]}
  (the bench's matmul peak, timed again in every round beside the model's steps)

The configuration comes as JSON in argv[1]: layers, inputShape, inputKind, batchSize,
optimizer, clipNorm, loss, threads. Batches are random (speed does not depend on values).
For an imported model (bench/importedCases.ts) "pytorch" replaces "layers": a module of
onnx_references.py (or of test/fixtures/onnx-zoo/export.py: "zoo"), its constructor arguments, an
opset, the token vocabulary (token inputs), whether it is exported in training mode, and a path; the
module is exported there to ONNX (for the engine to import) before the ready line."""
import json
import math
import os
import resource
import sys
import time
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F


class Embedding(nn.Module):
    def __init__(self, vocab, dim, length, positional):
        super().__init__()
        self.table = nn.Embedding(vocab, dim)
        self.positional = positional
        if positional == "learned":
            self.position = nn.Parameter(torch.randn(length, dim))
        elif positional == "sinusoidal":
            t = torch.arange(length).unsqueeze(1)
            i = torch.arange(dim)
            angle = t / torch.pow(10000.0, (2 * (i // 2)) / dim)
            self.register_buffer("position", torch.where(i % 2 == 0, torch.sin(angle), torch.cos(angle)))

    def forward(self, x):
        h = self.table(x)
        return h if self.positional == "none" else h + self.position


class SelfAttention(nn.Module):
    """Same formulation as the engine: one qkv projection, softmax(q·kᵀ/√d + mask)·v, out projection."""

    def __init__(self, dim, heads, causal, length):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)
        mask = torch.triu(torch.full((length, length), -1e9), diagonal=1) if causal else torch.zeros(length, length)
        self.register_buffer("mask", mask)

    def forward(self, x):
        b, t, d = x.shape
        dh = d // self.heads
        q, k, v = (p.reshape(b, t, self.heads, dh).transpose(1, 2) for p in self.qkv(x).split(d, dim=2))
        scores = (q * (1 / math.sqrt(dh))) @ k.transpose(-1, -2) + self.mask
        mixed = (torch.softmax(scores, dim=-1) @ v).transpose(1, 2).reshape(b, t, d)
        return self.out(mixed)


class Transformer(nn.Module):
    """Pre-norm block: h = x + drop(attn(LN(x))); y = h + drop(W2·gelu(W1·LN(h)))."""

    def __init__(self, dim, heads, ff, dropout, causal, length):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.attn = SelfAttention(dim, heads, causal, length)
        self.ff = nn.Sequential(nn.Linear(dim, ff), nn.GELU(), nn.Linear(ff, dim))
        self.drop = nn.Dropout(dropout)

    def forward(self, x):
        h = x + self.drop(self.attn(self.ln1(x)))
        return h + self.drop(self.ff(self.ln2(h)))


class Recurrent(nn.Module):
    def __init__(self, kind, features, units, sequences):
        super().__init__()
        self.rnn = (nn.LSTM if kind == "lstm" else nn.GRU)(features, units, batch_first=True)
        self.sequences = sequences

    def forward(self, x):
        out, _ = self.rnn(x)
        return out if self.sequences else out[:, -1]


ACT = {"relu": nn.ReLU, "gelu": nn.GELU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}


def activation(name):
    return ACT[name]() if name in ACT else nn.Identity()


def build(layers, shape):
    mods = []
    shape = list(shape)
    for l in layers:
        t = l["type"]
        if t == "embedding":
            mods.append(Embedding(l["vocabSize"], l["dim"], shape[0], l.get("positional", "learned")))
            shape = [shape[0], l["dim"]]
        elif t == "conv2d":
            k, s, d = l["kernel"], l.get("stride", 1), l.get("dilation", 1)
            pad = l.get("padding", "valid")
            if pad == "same":
                total = (k - 1) * d
                mods.append(nn.ZeroPad2d((total // 2, total - total // 2, total // 2, total - total // 2)))
                p = 0
                size = [x + total for x in shape[1:]]
            else:
                p = 0 if pad == "valid" else pad
                size = [x + 2 * p for x in shape[1:]]
            mods.append(nn.Conv2d(shape[0], l["filters"], k, stride=s, padding=p, dilation=d))
            mods.append(activation(l.get("activation", "none")))
            shape = [l["filters"]] + [(x - d * (k - 1) - 1) // s + 1 for x in size]
        elif t in ("maxpool2d", "avgpool2d"):
            k, s = l["size"], l.get("stride", l["size"])
            mods.append((nn.MaxPool2d if t == "maxpool2d" else nn.AvgPool2d)(k, s))
            shape = [shape[0]] + [(x - k) // s + 1 for x in shape[1:]]
        elif t == "flatten":
            mods.append(nn.Flatten())
            shape = [math.prod(shape)]
        elif t == "dropout":
            mods.append(nn.Dropout(l["rate"]))
        elif t == "dense":
            mods.append(nn.Linear(shape[-1], l["units"]))
            mods.append(activation(l.get("activation", "none")))
            shape = shape[:-1] + [l["units"]]
        elif t in ("lstm", "gru"):
            seq = l.get("returnSequences", False)
            mods.append(Recurrent(t, shape[-1], l["units"], seq))
            shape = [shape[0], l["units"]] if seq else [l["units"]]
        elif t == "attention":
            mods.append(SelfAttention(shape[-1], l["heads"], l.get("causal", False), shape[0]))
        elif t == "transformer":
            ff = l.get("ffDim", 4 * shape[-1])
            mods.append(Transformer(shape[-1], l["heads"], ff, l.get("dropout", 0), l.get("causal", False), shape[0]))
        elif t == "layernorm":
            mods.append(nn.LayerNorm(shape[-1]))
        elif t == "activation":
            mods.append(activation(l["activation"]))
        else:
            raise ValueError(f"layer type {t} has no PyTorch equivalent here")
    return nn.Sequential(*mods), shape


def optimizer(config, params):
    lr = config["learningRate"]
    betas = tuple(config.get("betas", (0.9, 0.999)))
    decay = config.get("weightDecay", 0)
    if config["type"] == "sgd":
        return torch.optim.SGD(params, lr=lr, momentum=config.get("momentum", 0), weight_decay=decay)
    if config["type"] == "adam":
        return torch.optim.Adam(params, lr=lr, betas=betas, weight_decay=decay)
    return torch.optim.AdamW(params, lr=lr, betas=betas, weight_decay=decay)


ZOO = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "test", "fixtures", "onnx-zoo")


def exported_module(spec, x):
    """The module of `spec` (onnx_references.py's, or the ONNX zoo's export.py's when "zoo"), exported to
    spec["export"] as a user would (in training mode when "training": BatchNorm stays a node, as for
    fine-tuning, instead of being folded into the convolution before it); its output shape."""
    sys.path.insert(0, ZOO if spec.get("zoo") else os.path.dirname(os.path.abspath(__file__)))
    source = __import__("export" if spec.get("zoo") else "onnx_references")

    model = getattr(source, spec["module"])(*spec["args"])
    training = spec.get("training", False)
    model.train(training)
    with warnings.catch_warnings():
        # The exporter's notes on tracing and in-place ops would interleave with the bench's table.
        warnings.simplefilter("ignore")
        torch.onnx.export(model, (x,), spec["export"], opset_version=spec["opset"], input_names=["input"],
                          output_names=["output"], dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}},
                          training=torch.onnx.TrainingMode.TRAINING if training else torch.onnx.TrainingMode.EVAL,
                          do_constant_folding=not training)
    with torch.no_grad():
        return model, list(model.eval()(x).shape[1:])


_gemm_operands = {}


def gemm_times(shape, runs):
    """Wall ms of `runs` products [M, K]·[K, N] of random operands (kept per shape) into a preallocated result."""
    key = tuple(shape)
    if key not in _gemm_operands:
        m, k, n = key
        _gemm_operands[key] = (torch.randn(m, k), torch.randn(k, n), torch.empty(m, n))
    a, b, c = _gemm_operands[key]
    torch.mm(a, b, out=c)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        torch.mm(a, b, out=c)
        times.append((time.perf_counter() - start) * 1000)
    return times


def main():
    cfg = json.loads(sys.argv[1])
    torch.set_num_threads(cfg["threads"])
    torch.manual_seed(1)
    batch = cfg["batchSize"]
    spec = cfg.get("pytorch")
    if cfg["inputKind"] == "tokens":
        vocab = spec["vocab"] if spec else cfg["layers"][0]["vocabSize"]
        x = torch.randint(0, vocab, [batch] + cfg["inputShape"])
    else:
        x = torch.randn([batch] + cfg["inputShape"])
    model, out_shape = exported_module(spec, x) if spec else build(cfg["layers"], cfg["inputShape"])
    model.train()
    opt = optimizer(cfg["optimizer"], model.parameters())
    classes = out_shape[-1]
    y = torch.randint(0, classes, [batch] + out_shape[:-1])

    def step():
        opt.zero_grad(set_to_none=True)
        out = model(x)
        loss = F.cross_entropy(out.reshape(-1, classes), y.reshape(-1), label_smoothing=cfg.get("labelSmoothing", 0))
        loss.backward()
        if cfg.get("clipNorm") is not None:
            nn.utils.clip_grad_norm_(model.parameters(), cfg["clipNorm"])
        opt.step()
        return loss.item()

    print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
    for line in sys.stdin:
        command = json.loads(line)
        if "gemm" in command:
            print(json.dumps({"ms": gemm_times(command["gemm"], command["runs"])}), flush=True)
            continue
        n = command["steps"]
        times = []
        cpu = time.process_time()
        for _ in range(n):
            start = time.perf_counter()
            step()
            times.append((time.perf_counter() - start) * 1000)
        cpu_ms = (time.process_time() - cpu) * 1000
        max_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
        print(json.dumps({"ms": times, "cpuMs": cpu_ms, "maxRssMb": max_rss_mb}), flush=True)


main()
