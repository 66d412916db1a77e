"""Reference cases for Model Lab's ONNX importer, made with Debian's PyTorch (/usr/bin/python3).

For each case it exports a small PyTorch model to ONNX (symbolic batch, constant folding on, as a
user would) and stores, in test/fixtures/onnx/<case>/:
  model.onnx      the exported model
  reference.json  fixed batches, PyTorch's gradients of the loss on the first batch (keyed by the
                  ONNX initializer each parameter became) and the loss of every training step;
                  for models with BatchNorm also the running statistics after every step (keyed by
                  ONNX initializer); for those and models with Dropout the eval-mode output on the
                  first batch before the first and after the last step

The dropout case trains with the masks Model Lab draws (the exported PyTorch project's keyed
dropout, pytorch-project/layers.py, with the engine's key of each step): PyTorch's own random
masks cannot be reproduced, the keyed ones can, so its losses are compared step by step.

The convbn and dropout cases are exported in training mode (torch.onnx.TrainingMode.TRAINING), as a user who
fine-tunes must: an eval-mode export folds a BatchNorm that follows a convolution into the
convolution's weights.

The bert-style case is exported as Hugging Face's exporters write a BERT: token ids, an attention
mask and token type ids, with a named sequence axis. Model Lab feeds the ids and fills the others
(reference.json's "import": the experiment's "sizes" and "fill"); PyTorch trains with the same
all-ones mask and zero type ids. The bert-padded case pads its examples with token 0: Model Lab
masks the padding from the ids (fill "attention_mask": { "padToken": 0 }), PyTorch gets the mask
a tokenizer would give. The bert-pairs case holds pairs of texts as a BERT tokenizer joins them,
[CLS] a [SEP] b [SEP] then padding ([CLS] 2, [SEP] 3, padding 0): Model Lab computes the token
type ids from the ids (fill "token_type_ids": { "padToken": 0, "secondTextAfter": 3 }), PyTorch
gets the type ids a BERT tokenizer gives (0 up to and including the first [SEP], 1 after it, 0 at
the padding).

The tests read these files; no Python runs at test time. Regenerate with (case names to make only
those)

    /usr/bin/python3 bench/pytorch/onnx_references.py [case ...]
"""
import json
import math
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "pytorch-project"))
from data import Rng  # noqa: E402  (Model Lab's generator, ported)
from layers import DropoutSites  # noqa: E402  (Model Lab's keyed dropout masks, ported)
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "onnx-zoo"))
from export import BertStyleClassifier  # noqa: E402  (the importer's Hugging Face style model)
import torch.nn.functional as F
import onnx
from onnx import numpy_helper

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "onnx")
STEPS = 40
BATCHES = 4
BATCH = 8


class Cnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, padding=1)
        self.conv2 = nn.Conv2d(4, 6, 3, stride=1)
        self.fc = nn.Linear(6, 3)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.avg_pool2d(torch.tanh(self.conv2(x)), 2)
        x = F.adaptive_avg_pool2d(x, 1).flatten(1)
        return self.fc(x)


class BlockedConvNet(nn.Module):
    """Convolutions whose channels and filters fill whole NCHWc blocks (16, a multiple of 8 too):
    the CPU training graph runs them through onnxruntime's blocked kernels. 3x3 with padding,
    stride 2, 1x1 and dilation 2; the 3-channel stem does not fill a block and stays NCHW."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 16, 3, padding=1)
        self.conv = nn.Conv2d(16, 16, 3, padding=1)
        self.down = nn.Conv2d(16, 32, 3, stride=2, padding=1, bias=False)
        self.point = nn.Conv2d(32, 16, 1)
        self.wide = nn.Conv2d(16, 16, 3, padding=2, dilation=2)
        self.fc = nn.Linear(16, 3)

    def forward(self, x):
        x = F.relu(self.stem(x))
        x = F.relu(self.conv(x)) + x
        x = torch.tanh(self.point(F.relu(self.down(x))))
        x = F.relu(self.wide(x))
        return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))


class BatchNormNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 4, 3)
        self.bn2 = nn.BatchNorm2d(4)
        self.fc1 = nn.Linear(4 * 4 * 4, 8)
        self.bn1 = nn.BatchNorm1d(8)
        self.fc2 = nn.Linear(8, 3)

    def forward(self, x):
        x = self.bn2(F.relu(self.conv(x)))
        x = F.leaky_relu(self.bn1(self.fc1(x.flatten(1))), 0.1)
        return self.fc2(torch.sigmoid(x) * x)


class ConvBnNet(nn.Module):
    """Conv → BatchNorm → ReLU twice (the second BatchNorm with PyTorch momentum 0.25), then a head."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(4)
        self.conv2 = nn.Conv2d(4, 6, 3, stride=2)
        self.bn2 = nn.BatchNorm2d(6, momentum=0.25)
        self.fc = nn.Linear(6, 3)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = F.relu(self.bn2(self.conv2(x)))
        return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))


def dropout_key(seed, step):
    """The engine's dropout key of a step (as pytorch-project/train.py computes it)."""
    state = ((seed * 0x9E3779B1 + step * 0x85EBCA6B) & 0xFFFFFFFF) ^ 0x9E3779B9
    return math.floor(Rng(state).next() * 2147483647)


class DropoutMlp(nn.Module):
    """Two Dropout layers (ratios 0.3 and 0.2). `drop` is torch's dropout for the export and
    Model Lab's keyed masks (DropoutSites, one site per call in graph order) while training."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(10, 16)
        self.fc2 = nn.Linear(16, 16)
        self.fc3 = nn.Linear(16, 3)
        self.drop = lambda x, rate: F.dropout(x, rate, self.training)

    def forward(self, x):
        x = self.drop(F.relu(self.fc1(x)), 0.3)
        x = self.drop(torch.tanh(self.fc2(x)), 0.2)
        return self.fc3(x)


class Block(nn.Module):
    """Pre-norm causal self-attention block (GPT style) written with plain tensor ops."""

    def __init__(self, dim, heads, context):
        super().__init__()
        self.heads = heads
        self.ln1 = nn.LayerNorm(dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.ln2 = nn.LayerNorm(dim)
        self.ff1 = nn.Linear(dim, 2 * dim)
        self.ff2 = nn.Linear(2 * dim, dim)
        self.register_buffer("mask", torch.tril(torch.ones(context, context)).view(1, 1, context, context))

    def forward(self, x):
        b, t, d = x.size()
        q, k, v = self.qkv(self.ln1(x)).split(d, dim=2)
        q, k, v = [z.view(b, t, self.heads, d // self.heads).transpose(1, 2) for z in (q, k, v)]
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(d // self.heads))
        att = att.masked_fill(self.mask[:, :, :t, :t] == 0, float("-inf"))
        y = (F.softmax(att, dim=-1) @ v).transpose(1, 2).reshape(b, t, d)
        x = x + self.proj(y)
        return x + self.ff2(F.gelu(self.ff1(self.ln2(x))))


class TinyGpt(nn.Module):
    def __init__(self, vocab=11, dim=16, heads=2, context=8):
        super().__init__()
        self.tok = nn.Embedding(vocab, dim)
        self.pos = nn.Parameter(torch.randn(context, dim) * 0.1)
        self.block = Block(dim, heads, context)
        self.ln = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, vocab)

    def forward(self, ids):
        x = self.tok(ids) + self.pos[: ids.size(1)]
        return self.head(self.ln(self.block(x)))


class LstmClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(3, 8, batch_first=True)
        self.fc = nn.Linear(8, 3)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.fc(out[:, -1])


class BiLstmClassifier(nn.Module):
    """A bidirectional LSTM: ONNX's LSTM node of direction bidirectional, weights stacked [2, …]."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(3, 6, batch_first=True, bidirectional=True)
        self.fc = nn.Linear(12, 3)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.fc(out[:, -1])


class GruRegressor(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(2, 6, batch_first=True)
        self.fc = nn.Linear(6, 1)

    def forward(self, x):
        _, h = self.gru(x)
        return self.fc(h[0])


class ActivationsNet(nn.Module):
    """The activations PyTorch exports as single ONNX ops (ELU, Softplus, PReLU, HardSwish, a
    HardSigmoid gate), a sinusoidal position table computed from the sequence length (folded at
    import) and max-over-time pooling (torch.amax: ReduceMax)."""

    def __init__(self, features=5, dim=8):
        super().__init__()
        self.dim = dim
        self.inp = nn.Linear(features, dim)
        self.mid = nn.Linear(dim, dim)
        self.gate = nn.Linear(dim, dim)
        self.prelu = nn.PReLU()
        self.fc = nn.Linear(dim, 3)

    def forward(self, x):
        t = torch.arange(x.shape[1]).float()[:, None]
        freq = 10000 ** (torch.arange(self.dim // 2).float()[None] / self.dim)
        pe = torch.cat([torch.sin(t / freq), torch.cos(t / freq)], 1)
        h = F.elu(self.inp(x)) + pe
        h = self.prelu(F.softplus(self.mid(h)) - 1)
        h = F.hardswish(h * 3) * F.hardsigmoid(self.gate(h) * 3)
        return self.fc(torch.amax(h, 1))


class GroupNormNet(nn.Module):
    """nn.GroupNorm (exported as a Reshape around InstanceNormalization) and nn.InstanceNorm2d with
    affine scale and shift: the same op in training and evaluation, no running statistics."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3, padding=1)
        self.gn = nn.GroupNorm(2, 4)
        self.conv2 = nn.Conv2d(4, 4, 3, padding=1)
        self.inorm = nn.InstanceNorm2d(4, affine=True)
        self.fc = nn.Linear(4 * 3 * 3, 3)
        # As a trained model's (and distinct, so each initializer is matched to its parameter).
        with torch.no_grad():
            for norm in (self.gn, self.inorm):
                norm.weight.uniform_(0.5, 1.5)
                norm.bias.uniform_(-0.2, 0.2)

    def forward(self, x):
        x = F.relu(self.gn(self.conv(x)))
        x = F.max_pool2d(F.relu(self.inorm(self.conv2(x))), 2)
        return self.fc(x.flatten(1))


class UpsamplingNet(nn.Module):
    """A small U-Net-like decoder: nn.Upsample (nearest, ×2: Resize) and nn.ConvTranspose2d with
    stride 2 and output_padding, and with stride 1."""

    def __init__(self):
        super().__init__()
        self.e1 = nn.Conv2d(1, 4, 3, stride=2, padding=1)
        self.e2 = nn.Conv2d(4, 4, 3, stride=2, padding=1)
        self.up = nn.Upsample(scale_factor=2, mode="nearest")
        self.d1 = nn.ConvTranspose2d(8, 4, 3, stride=2, padding=1, output_padding=1)
        self.d2 = nn.ConvTranspose2d(4, 2, 3, padding=1)
        self.fc = nn.Linear(2 * 8 * 8, 3)

    def forward(self, x):
        e1 = F.relu(self.e1(x))
        u = self.up(F.relu(self.e2(e1)))
        d = torch.tanh(self.d2(F.relu(self.d1(torch.cat([u, e1], 1)))))
        return self.fc(d.flatten(1))


class BilinearNet(nn.Module):
    """F.interpolate in bilinear mode: ×2 (pytorch_half_pixel), then to a size with align_corners."""

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 4, 3, stride=2, padding=1)
        self.c2 = nn.Conv2d(4, 2, 3, padding=1)
        self.fc = nn.Linear(2 * 4 * 4, 3)

    def forward(self, x):
        h = F.interpolate(F.relu(self.c1(x)), scale_factor=2, mode="bilinear", align_corners=False)
        h = F.interpolate(torch.tanh(self.c2(h)), size=(4, 4), mode="bilinear", align_corners=True)
        return self.fc(h.flatten(1))


class PixelOpsNet(nn.Module):
    """Ops of super-resolution and sequence models: x.repeat (Tile), nn.CELU, nn.PixelShuffle
    (DepthToSpace) and nn.PixelUnshuffle, comparisons joined with ^ and | selecting values,
    torch.sign and torch.floor (no gradient), adaptive max pooling to 1, torch.cumsum and
    torch.tril."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(2, 8, 3, padding=1)
        self.shuffle = nn.PixelShuffle(2)
        self.conv2 = nn.Conv2d(2, 4, 3, padding=1)
        self.unshuffle = nn.PixelUnshuffle(2)
        self.pool = nn.AdaptiveMaxPool2d(1)
        self.fc = nn.Linear(32, 3)

    def forward(self, x):
        h = self.shuffle(F.celu(self.conv1(x.repeat(1, 2, 1, 1)), 0.7))
        h = self.conv2(h)
        h = torch.where((h >= 0.1) ^ (h <= -0.5), h, 0.5 * h) + torch.where((h > 1) | (h < -1), 0.2 * h, h)
        h = h + 0.1 * torch.sign(h) + 0.05 * torch.floor(2 * h)
        u = self.unshuffle(h)
        pooled = self.pool(u).flatten(1)
        running = torch.cumsum(u.mean((2, 3)), 1) / 16
        z = torch.cat([pooled, running], 1).view(-1, 4, 8)
        return self.fc(torch.tril(z, 1).flatten(1))


def float_batches(shape, gen):
    return [torch.randn((BATCH, *shape), generator=gen) for _ in range(BATCHES)]


# Adam-style optimizers divide by √v: on a parameter whose true gradient is zero (a bias right
# before a BatchNormalization) they turn rounding noise into full steps, so the batch-norm case
# trains with SGD, whose steps stay as small as that noise.
CASES = {
    # name: (model factory, opset, input kind, input shape, loss, optimizer, targets)
    "cnn": dict(make=Cnn, opset=13, inputs="float", shape=[1, 8, 8], loss="cross-entropy", classes=3,
                optimizer={"type": "adamw", "learningRate": 0.01, "weightDecay": 0.01}),
    "blockedconv": dict(make=BlockedConvNet, opset=13, inputs="float", shape=[3, 10, 10], loss="cross-entropy",
                        classes=3, optimizer={"type": "sgd", "learningRate": 0.05, "momentum": 0.9}),
    "batchnorm": dict(make=BatchNormNet, opset=15, inputs="float", shape=[2, 6, 6], loss="cross-entropy",
                      classes=3, optimizer={"type": "sgd", "learningRate": 0.05, "momentum": 0.9}),
    "convbn": dict(make=ConvBnNet, opset=15, inputs="float", shape=[1, 7, 7], loss="cross-entropy", classes=3,
                   optimizer={"type": "sgd", "learningRate": 0.05, "momentum": 0.9}, training_export=True),
    "dropout": dict(make=DropoutMlp, opset=15, inputs="float", shape=[10], loss="cross-entropy", classes=3,
                    optimizer={"type": "adam", "learningRate": 0.01}, training_export=True, keyed_dropout=True),
    "transformer": dict(make=TinyGpt, opset=17, inputs="tokens", shape=[8], vocab=11, loss="cross-entropy",
                        classes=11, optimizer={"type": "adam", "learningRate": 0.003}),
    # Before opset 17 the exporter writes each LayerNorm as ReduceMean, Sub, Pow, ReduceMean, Add,
    # Sqrt, Div, Mul, Add (PyTorch 1.13's default opset is 14).
    "transformer-opset14": dict(make=TinyGpt, opset=14, inputs="tokens", shape=[8], vocab=11, loss="cross-entropy",
                                classes=11, optimizer={"type": "adam", "learningRate": 0.003}),
    "lstm": dict(make=LstmClassifier, opset=14, inputs="float", shape=[6, 3], loss="cross-entropy", classes=3,
                 optimizer={"type": "adam", "learningRate": 0.01}),
    "bilstm": dict(make=BiLstmClassifier, opset=14, inputs="float", shape=[6, 3], loss="cross-entropy", classes=3,
                   optimizer={"type": "adam", "learningRate": 0.01}),
    "activations": dict(make=ActivationsNet, opset=17, inputs="float", shape=[6, 5], loss="cross-entropy",
                        classes=3, optimizer={"type": "adam", "learningRate": 0.01}),
    "groupnorm": dict(make=GroupNormNet, opset=17, inputs="float", shape=[1, 6, 6], loss="cross-entropy",
                      classes=3, optimizer={"type": "adam", "learningRate": 0.01}),
    "upsampling": dict(make=UpsamplingNet, opset=17, inputs="float", shape=[1, 8, 8], loss="cross-entropy",
                       classes=3, optimizer={"type": "adam", "learningRate": 0.01}),
    "bilinear": dict(make=BilinearNet, opset=17, inputs="float", shape=[1, 6, 6], loss="cross-entropy",
                     classes=3, optimizer={"type": "adam", "learningRate": 0.01}),
    "pixelops": dict(make=PixelOpsNet, opset=17, inputs="float", shape=[1, 4, 4], loss="cross-entropy",
                     classes=3, optimizer={"type": "adam", "learningRate": 0.01}),
    "gru": dict(make=GruRegressor, opset=16, inputs="float", shape=[5, 2], loss="mse",
                optimizer={"type": "sgd", "learningRate": 0.05}),
    # Older opsets (7 to 12), imported through their opset-13 forms (src/engine/onnx/olderOpsets.ts):
    # Softmax flattening its input to 2-D, Squeeze / Unsqueeze / Split with attribute lists, Slice
    # with attribute bounds (opset 9), Upsample (opset 9), Dropout's ratio attribute (opset 11).
    "transformer-opset11": dict(make=TinyGpt, opset=11, inputs="tokens", shape=[8], vocab=11, loss="cross-entropy",
                                classes=11, optimizer={"type": "adam", "learningRate": 0.003}),
    "lstm-opset9": dict(make=LstmClassifier, opset=9, inputs="float", shape=[6, 3], loss="cross-entropy", classes=3,
                        optimizer={"type": "adam", "learningRate": 0.01}),
    "convbn-opset9": dict(make=ConvBnNet, opset=9, inputs="float", shape=[1, 7, 7], loss="cross-entropy", classes=3,
                          optimizer={"type": "sgd", "learningRate": 0.05, "momentum": 0.9}, training_export=True),
    "upsampling-opset9": dict(make=UpsamplingNet, opset=9, inputs="float", shape=[1, 8, 8], loss="cross-entropy",
                              classes=3, optimizer={"type": "adam", "learningRate": 0.01}),
    "dropout-opset11": dict(make=DropoutMlp, opset=11, inputs="float", shape=[10], loss="cross-entropy", classes=3,
                            optimizer={"type": "adam", "learningRate": 0.01}, training_export=True, keyed_dropout=True),
    # One class per example from token ids, with an attention mask and token type ids beside them.
    "bert-style": dict(make=BertStyleClassifier, opset=17, inputs="tokens", shape=[8], vocab=50, classes=3,
                       per_example=True, hf_inputs=True, loss="cross-entropy",
                       optimizer={"type": "adam", "learningRate": 0.003}),
    # The same with examples of 3 to 8 tokens padded with id 0, the mask 0 at the padding.
    "bert-padded": dict(make=BertStyleClassifier, opset=17, inputs="tokens", shape=[8], vocab=50, classes=3,
                        per_example=True, hf_inputs=True, pad_token=0, loss="cross-entropy",
                        optimizer={"type": "adam", "learningRate": 0.003}),
    # Pairs of texts, [CLS] a [SEP] b [SEP] padded with id 0: the type ids 1 on the second text.
    "bert-pairs": dict(make=BertStyleClassifier, opset=17, inputs="tokens", shape=[8], vocab=50, classes=3,
                       per_example=True, hf_inputs=True, pad_token=0, pairs=dict(cls=2, sep=3),
                       loss="cross-entropy", optimizer={"type": "adam", "learningRate": 0.003}),
}

HF_INPUTS = ["input_ids", "attention_mask", "token_type_ids"]


def attention_mask(case, x):
    """Ones, or 0 at the padding when the case pads, as Model Lab fills it."""
    return (x != case["pad_token"]).long() if "pad_token" in case else torch.ones_like(x)


def token_types(case, x):
    """Zeros, or for pairs a BERT tokenizer's type ids: 1 after the first [SEP] up to the padding."""
    if "pairs" not in case:
        return torch.zeros_like(x)
    separators_before = torch.cumsum((x == case["pairs"]["sep"]).long(), 1) - (x == case["pairs"]["sep"]).long()
    return ((separators_before > 0) & (x != case["pad_token"])).long()


def forward(model, case, x):
    """The model on token ids x; a Hugging Face style one with the mask and type ids Model Lab fills."""
    if case.get("hf_inputs"):
        return model(x, attention_mask(case, x), token_types(case, x))
    return model(x)


def paired(case, gen):
    """A batch of pairs [CLS] a [SEP] b [SEP] of 1 to 4 tokens each, padded to the case's length
    (the texts' tokens never special)."""
    length, cls, sep = case["shape"][0], case["pairs"]["cls"], case["pairs"]["sep"]
    x = torch.full((BATCH, length), case["pad_token"], dtype=torch.long)
    for row in range(BATCH):
        first = int(torch.randint(1, 5, (1,), generator=gen))
        second = int(torch.randint(1, length - 3 - first + 1, (1,), generator=gen))
        texts = torch.randint(4, case["vocab"], (first + second,), generator=gen).tolist()
        ids = [cls, *texts[:first], sep, *texts[first:], sep]
        x[row, : len(ids)] = torch.tensor(ids)
    return x


def padded(case, x, gen):
    """x with each example cut to 3 to its full length and padded after with the pad token (real
    tokens never the pad token)."""
    x = x.clone()
    x[x == case["pad_token"]] = 1
    lengths = torch.randint(3, x.shape[1] + 1, (x.shape[0],), generator=gen)
    for row, length in enumerate(lengths.tolist()):
        x[row, length:] = case["pad_token"]
    return x


def torch_optimizer(config, params):
    if config["type"] == "sgd":
        return torch.optim.SGD(params, lr=config["learningRate"], momentum=config.get("momentum", 0))
    if config["type"] == "adam":
        return torch.optim.Adam(params, lr=config["learningRate"], weight_decay=config.get("weightDecay", 0))
    return torch.optim.AdamW(params, lr=config["learningRate"], weight_decay=config.get("weightDecay", 0.01))


def loss_of(case, out, y):
    if case["loss"] == "cross-entropy":
        return F.cross_entropy(out.reshape(-1, out.shape[-1]), y.reshape(-1))
    return F.mse_loss(out, y)


def gate_blocks(t, order, hidden):
    """Reorders gate blocks stacked on axis 0 (PyTorch LSTM ifgo → ONNX iofc; GRU rzn → zrn)."""
    blocks = [t[i * hidden:(i + 1) * hidden] for i in range(len(order))]
    return torch.cat([blocks[i] for i in order], 0)


def candidates(name, p, module):
    """Ways a PyTorch parameter can appear as an ONNX initializer after export."""
    yield "same", lambda g: g
    yield "transposed", lambda g: g.t() if g.dim() == 2 else None
    # nn.PReLU's slope [1] is exported as [1, 1], to broadcast over the features.
    yield "row", lambda g: g.reshape(1, -1) if g.dim() == 1 else None
    # nn.GroupNorm's weight and bias [C] are exported as [C, 1, 1], multiplied onto [N, C, H, W].
    yield "channel", lambda g: g.reshape(-1, 1, 1) if g.dim() == 1 else None
    rnn = getattr(module, "lstm", None) or getattr(module, "gru", None)
    if rnn is not None and name.startswith(("lstm.", "gru.")):
        hidden = rnn.hidden_size
        order = [0, 3, 1, 2] if isinstance(rnn, nn.LSTM) else [1, 0, 2]
        yield "gates", lambda g: gate_blocks(g, order, hidden).unsqueeze(0)


def onnx_gradients(model, path):
    """PyTorch's gradients keyed by ONNX initializer name, matched on values (export may transpose,
    reorder gates or concatenate the recurrent biases into one initializer)."""
    graph = onnx.load(path).graph
    inits = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in graph.initializer}
    # PyTorch's exporter stores equal initializers once and names the others as Identity outputs
    # (ln2.weight = Identity(ln1.weight)); the importer gives each its own copy under that name.
    for node in graph.node:
        if node.op_type == "Identity" and node.input[0] in inits:
            inits[node.output[0]] = inits[node.input[0]]
    params = dict(model.named_parameters())
    grads = {}
    used = set()
    # The recurrent biases: ONNX's B is [1, 2·G·H] = concat(b_ih, b_hh), each in ONNX gate order.
    rnn_name = "lstm" if hasattr(model, "lstm") else "gru" if hasattr(model, "gru") else None
    if rnn_name:
        rnn = getattr(model, rnn_name)
        order = [0, 3, 1, 2] if rnn_name == "lstm" else [1, 0, 2]
        # A bidirectional layer stacks each direction's W, R and B on a leading axis (forward, reverse).
        suffixes = ["_l0", "_l0_reverse"] if rnn.bidirectional else ["_l0"]

        def stacked(of, kinds):
            def one(suffix):
                return torch.cat([gate_blocks(of(params[f"{rnn_name}.{k}{suffix}"]), order, rnn.hidden_size) for k in kinds])
            return torch.stack([one(suffix) for suffix in suffixes])

        groups = [["bias_ih", "bias_hh"]] + ([["weight_ih"], ["weight_hh"]] if rnn.bidirectional else [])
        for kinds in groups:
            value = stacked(lambda p: p.detach(), kinds)
            for name, t in inits.items():
                if t.shape == value.shape and torch.equal(t, value):
                    grads[name] = stacked(lambda p: p.grad, kinds)
                    used.update(f"{rnn_name}.{k}{suffix}" for k in kinds for suffix in suffixes)
    for pname, p in params.items():
        if pname in used:
            continue
        if pname in inits and inits[pname].shape == p.shape:
            grads[pname] = p.grad
            continue
        found = False
        for _, transform in candidates(pname, p, model):
            v = transform(p.detach())
            if v is None:
                continue
            for name, t in inits.items():
                if name not in grads and t.shape == v.shape and torch.equal(t, v):
                    grads[name] = transform(p.grad)
                    found = True
                    break
            if found:
                break
        if not found:
            raise SystemExit(f"parameter {pname} has no ONNX initializer")
    return {k: {"dims": list(v.shape), "data": [float(x) for x in v.flatten()]} for k, v in grads.items()}


def make_case(name, case):
    torch.manual_seed(1234)
    model = case["make"]()
    gen = torch.Generator().manual_seed(99)
    if case["inputs"] == "tokens":
        xs = [torch.randint(0, case["vocab"], (BATCH, *case["shape"]), generator=gen) for _ in range(BATCHES)]
        if "pairs" in case:
            xs = [paired(case, gen) for _ in range(BATCHES)]
        elif "pad_token" in case:
            xs = [padded(case, x, gen) for x in xs]
        targets = (BATCH,) if case.get("per_example") else (BATCH, *case["shape"])
        ys = [torch.randint(0, case["classes"], targets, generator=gen) for _ in range(BATCHES)]
    else:
        xs = float_batches(case["shape"], gen)
        if case["loss"] == "cross-entropy":
            ys = [torch.randint(0, case["classes"], (BATCH,), generator=gen) for _ in range(BATCHES)]
        else:
            ys = [torch.randn((BATCH, 1), generator=gen) for _ in range(BATCHES)]

    folder = os.path.join(OUT, name)
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "model.onnx")
    training = case.get("training_export", False)
    model.train(training)
    if case.get("hf_inputs"):
        args = (xs[0], attention_mask(case, xs[0]), token_types(case, xs[0]))
        axes = {name: {0: "batch", 1: "sequence"} for name in HF_INPUTS}
        names = HF_INPUTS
    else:
        args, axes, names = (xs[0],), {"input": {0: "batch"}}, ["input"]
    torch.onnx.export(model, args, path, opset_version=case["opset"], input_names=names,
                      output_names=["output"], dynamic_axes={**axes, "output": {0: "batch"}},
                      training=torch.onnx.TrainingMode.TRAINING if training else torch.onnx.TrainingMode.EVAL,
                      do_constant_folding=not training)
    # Exporting in training mode runs the forward, which moves the running statistics: PyTorch
    # starts from the statistics the file holds, as Model Lab does.
    stored = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in onnx.load(path).graph.initializer}
    buffers = {n: b for n, b in model.named_buffers() if n.endswith(("running_mean", "running_var"))}
    initial = {n: stored[n] if n in stored else b.clone() for n, b in buffers.items()}
    with torch.no_grad():
        for n, b in buffers.items():
            b.copy_(initial[n])

    model.eval()
    with torch.no_grad():
        eval_output_before = [float(v) for v in forward(model, case, xs[0]).flatten()]
    keyed = case.get("keyed_dropout", False)
    seed = 1  # the seed the tests compile and train with
    model.train()
    model.zero_grad()
    if keyed:
        model.drop = DropoutSites(dropout_key(seed, 0), True)
    loss = loss_of(case, forward(model, case, xs[0]), ys[0])
    loss.backward()
    gradients = onnx_gradients(model, path)
    first_loss = float(loss)
    with torch.no_grad():  # that forward moved the running statistics: the trajectory starts from the file's
        for n, b in buffers.items():
            b.copy_(initial[n])

    opt = torch_optimizer(case["optimizer"], model.parameters())
    losses = []
    running = []
    for step in range(STEPS):
        opt.zero_grad()
        if keyed:
            model.drop = DropoutSites(dropout_key(seed, step), True)
        loss = loss_of(case, forward(model, case, xs[step % BATCHES]), ys[step % BATCHES])
        losses.append(float(loss))
        loss.backward()
        opt.step()
        running.append({n: [float(v) for v in b.flatten()] for n, b in buffers.items()})
    model.eval()
    if keyed:
        model.drop = lambda x, rate: x  # eval mode: dropout is the identity
    with torch.no_grad():
        eval_output = [float(v) for v in forward(model, case, xs[0]).flatten()]

    def plain(t):
        return [int(v) for v in t.flatten()] if t.dtype == torch.int64 else [float(v) for v in t.flatten()]

    reference = {
        "description": f"{case['make'].__name__} exported at opset {case['opset']} by PyTorch {torch.__version__}",
        "input": {"kind": case["inputs"], "shape": case["shape"]},
        "loss": case["loss"],
        "optimizer": case["optimizer"],
        "batchSize": BATCH,
        "batches": [{"x": plain(x), "y": plain(y)} for x, y in zip(xs, ys)],
        "gradients": {"loss": first_loss, "byInitializer": gradients},
        "trajectory": losses,
    }
    if case.get("hf_inputs"):
        mask = {"padToken": case["pad_token"]} if "pad_token" in case else 1
        types = {"padToken": case["pad_token"], "secondTextAfter": case["pairs"]["sep"]} if "pairs" in case else 0
        reference["import"] = {"sizes": {"sequence": case["shape"][0]}, "fill": {"attention_mask": mask, "token_type_ids": types}}
    if keyed:
        reference["dropoutKeys"] = [dropout_key(seed, step) for step in range(STEPS)]
    if training:
        reference["exportedInTrainingMode"] = True
    if buffers or keyed:
        reference["evalOutputBefore"] = eval_output_before
        reference["evalOutput"] = eval_output
    if buffers:
        reference["runningStats"] = running
    with open(os.path.join(folder, "reference.json"), "w") as f:
        json.dump(reference, f, separators=(",", ":"))
    print(f"{name}: {os.path.getsize(path)} bytes of ONNX, first loss {first_loss:.4f}, last {losses[-1]:.4f}")


if __name__ == "__main__":
    torch.set_num_threads(1)
    wanted = sys.argv[1:] or list(CASES)
    for name in wanted:
        make_case(name, CASES[name])
