"""Building blocks with the semantics of Model Lab's engine, so a model trained here
computes what the same experiment computes in Model Lab (and loads its checkpoints).

- Dense layers are nn.Linear; Model Lab stores their weight as [in, out] (transposed on load).
- Dropout masks are a function of (element index, dropout site, step key), as in the
  engine, so a run here and a run in Model Lab drop the same units at the same step.
- Transformer blocks are pre-norm: h = x + drop(attn(LN(x))); y = h + drop(W2·gelu(W1·LN(h))).
- LSTM and GRU are torch.nn.LSTM / nn.GRU: the engine uses PyTorch's gate order and layout.
"""
import math

import torch
from torch import nn
import torch.nn.functional as F

_PRIME = 2147483647
_MAX_ELEMENTS = 2**24


def he_uniform_(tensor, fan_in):
    """He/Kaiming uniform, bound √(6/fan_in): keeps activation variance through ReLU."""
    bound = math.sqrt(6 / fan_in)
    with torch.no_grad():
        return tensor.uniform_(-bound, bound)


def glorot_uniform_(tensor, fan_in, fan_out):
    """Glorot/Xavier uniform, bound √(6/(fan_in + fan_out)): for tanh and linear layers."""
    bound = math.sqrt(6 / (fan_in + fan_out))
    with torch.no_grad():
        return tensor.uniform_(-bound, bound)


def dense(fan_in, units, relu_init):
    """nn.Linear initialised as Model Lab does: He for ReLU/GELU layers, else Glorot; zero bias."""
    layer = nn.Linear(fan_in, units)
    if relu_init:
        he_uniform_(layer.weight, fan_in)
    else:
        glorot_uniform_(layer.weight, fan_in, units)
    nn.init.zeros_(layer.bias)
    return layer


def conv2d(channels, filters, kernel, stride, padding, dilation):
    """nn.Conv2d with He-uniform weights and zero bias; `padding` is [top, left, bottom, right]."""
    layer = nn.Conv2d(channels, filters, kernel, stride=stride, dilation=dilation)
    he_uniform_(layer.weight, channels * kernel * kernel)
    nn.init.zeros_(layer.bias)
    layer.model_lab_pads = padding
    return layer


def apply_conv2d(layer, x):
    top, left, bottom, right = layer.model_lab_pads
    if top or left or bottom or right:
        x = F.pad(x, (left, right, top, bottom))
    return layer(x)


def activate(x, name):
    if name == "relu":
        return F.relu(x)
    if name == "gelu":
        return F.gelu(x)  # the exact erf form, as in the engine
    if name == "tanh":
        return torch.tanh(x)
    if name == "sigmoid":
        return torch.sigmoid(x)
    return x


class DropoutSites:
    """Train-mode dropout of one forward pass. Each call is a new site; the mask of element i
    at site s keeps it when h(i + s·2²⁴, key)/P ≥ rate, h a keyed hash over the prime field
    P = 2³¹ − 1 (the engine's, see src/engine/layers/dropout.ts in Model Lab). `offset` is
    this process's first example in the global batch times the example size, so ranks of a
    distributed run together drop what one process would."""

    def __init__(self, key, training, shard=0, shards=1):
        self.key = key
        self.training = training
        self.shard = shard
        self.shards = shards
        self.site = 0

    def __call__(self, x, rate):
        if not self.training or rate <= 0:
            return x
        site = self.site
        self.site += 1
        n = x.numel()
        start = site * _MAX_ELEMENTS + self.shard * n
        idx = torch.arange(start, start + n, dtype=torch.int64, device=x.device)

        def pow5(v):
            sq = (v * v) % _PRIME
            return (((sq * sq) % _PRIME) * v) % _PRIME

        h = pow5((pow5((idx * 48271 + 1013904223) % _PRIME) + self.key % _PRIME) % _PRIME)
        u = h.to(torch.float32) * torch.tensor(1 / _PRIME, dtype=torch.float32, device=x.device)
        keep = (torch.tensor(rate, dtype=torch.float32, device=x.device) < u).to(x.dtype)
        scale = torch.tensor(1 / (1 - rate), dtype=torch.float32, device=x.device)
        return x * (keep.reshape(x.shape) * scale)


class Embedding(nn.Module):
    """Token table N(0, 1) plus learned (N(0, 1)), sinusoidal or no positions."""

    def __init__(self, vocab_size, dim, length, positional):
        super().__init__()
        self.tokens = nn.Embedding(vocab_size, dim)
        nn.init.normal_(self.tokens.weight, 0.0, 1.0)
        self.positional = positional
        if positional == "learned":
            self.position = nn.Parameter(torch.randn(length, dim))
        elif positional == "sinusoidal":
            self.register_buffer("position", sinusoidal(length, dim), persistent=False)

    def forward(self, ids):
        x = self.tokens(ids)
        if self.positional == "none":
            return x
        return x + self.position[: ids.shape[1]]


def sinusoidal(length, dim):
    """PE[t, 2i] = sin(t / 10000^(2i/d)), PE[t, 2i+1] = cos(…)."""
    t = torch.arange(length, dtype=torch.float64)[:, None]
    i = torch.arange(dim)
    angle = t / torch.pow(10000.0, (2 * (i // 2)).to(torch.float64) / dim)
    table = torch.where(i % 2 == 0, torch.sin(angle), torch.cos(angle))
    return table.to(torch.float32)


class SelfAttention(nn.Module):
    """Multi-head self-attention: one projection to q, k, v; softmax(q·kᵀ/√dₕ + mask)·v per head;
    heads concatenated and projected back. Causal masks add −1e9 above the diagonal."""

    def __init__(self, dim, heads, causal):
        super().__init__()
        if dim % heads:
            raise ValueError(f"heads ({heads}) must divide the feature size {dim}")
        self.heads = heads
        self.causal = causal
        self.qkv = dense(dim, 3 * dim, relu_init=False)
        self.out = dense(dim, dim, relu_init=False)

    def forward(self, x):
        batch, length, dim = x.shape
        dh = dim // self.heads
        q, k, v = self.qkv(x).split(dim, dim=2)
        q, k, v = (t.reshape(batch, length, self.heads, dh).transpose(1, 2) for t in (q, k, v))
        scores = (q * (1 / math.sqrt(dh))) @ k.transpose(2, 3)
        if self.causal:
            mask = torch.triu(torch.full((length, length), -1e9, device=x.device), diagonal=1)
            scores = scores + mask
        probs = torch.softmax(scores, dim=-1)
        mixed = (probs @ v).transpose(1, 2).reshape(batch, length, dim)
        return self.out(mixed)


class TransformerBlock(nn.Module):
    """Pre-norm block: h = x + drop(attn(LN(x))); y = h + drop(W2·gelu(W1·LN(h)))."""

    def __init__(self, dim, heads, ff_dim, dropout, causal):
        super().__init__()
        self.ln1 = nn.LayerNorm(dim, eps=1e-5)
        self.attention = SelfAttention(dim, heads, causal)
        self.ln2 = nn.LayerNorm(dim, eps=1e-5)
        self.ff1 = dense(dim, ff_dim, relu_init=True)
        self.ff2 = dense(ff_dim, dim, relu_init=False)
        self.dropout = dropout

    def forward(self, x, drop):
        h = x + drop(self.attention(self.ln1(x)), self.dropout)
        return h + drop(self.ff2(F.gelu(self.ff1(self.ln2(h)))), self.dropout)


def recurrent(kind, features, units):
    """nn.LSTM / nn.GRU (batch first, one layer): PyTorch's default U(−1/√H, 1/√H) init is
    Model Lab's too."""
    cls = nn.LSTM if kind == "lstm" else nn.GRU
    return cls(features, units, batch_first=True)


def run_recurrent(layer, x, return_sequences):
    sequence, _ = layer(x)
    return sequence if return_sequences else sequence[:, -1]
