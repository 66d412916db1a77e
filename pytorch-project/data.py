"""The experiment's data exactly as Model Lab loads it: Model Lab wrote the loaded examples
(scaling, vocabulary and splits already applied) into data/, and this module draws the same
batches from them with the same seeded order (Model Lab's mulberry32 generator, ported).
A text file or CSV table of the user's (a .txt or .csv source) is read from where it is instead,
with Model Lab's vocabulary, splits and scaling (tables.py reads CSV); data/meta.json names it.

- Tables, images, names, series: one example per row; training batches shuffle the training
  rows each epoch and drop the last partial batch; validation and test read rows in order.
- Text (character language models): random windows of contextLength + 1 characters inside
  the training stretch; evaluation reads consecutive non-overlapping windows.
"""
import json
import math
import os

import numpy as np
import torch

from tables import Table

_MASK = 0xFFFFFFFF
_DTYPES = {"float32": np.float32, "int64": np.int64, "int32": np.int32}


class Rng:
    """mulberry32, bit for bit as Model Lab's createRng (src/data/rng.ts)."""

    def __init__(self, seed):
        self.state = seed & _MASK

    def next(self):
        self.state = (self.state + 0x6D2B79F5) & _MASK
        t = self.state
        t = ((t ^ (t >> 15)) * (t | 1)) & _MASK
        t = (t ^ ((t + (((t ^ (t >> 7)) * (t | 61)) & _MASK)) & _MASK)) & _MASK
        return ((t ^ (t >> 14)) & _MASK) / 4294967296

    def int(self, n):
        return math.floor(self.next() * n)

    def shuffle(self, items):
        for i in range(len(items) - 1, 0, -1):
            j = self.int(i + 1)
            items[i], items[j] = items[j], items[i]
        return items


def epoch_seed(seed, epoch):
    """Each epoch shuffles with its own seed, so a resumed run replays the same batch order."""
    return ((seed + 1) * 0x9E3779B1 + epoch) & _MASK


def characters_of(text):
    """Every distinct character of `text`, sorted as Model Lab (JavaScript) sorts strings: by
    UTF-16 code units, which differs from code points only beyond U+FFFF."""
    return sorted(set(text), key=lambda char: char.encode("utf-16-be"))


def js_round(x):
    """JavaScript's Math.round: halves round up (Python's round() rounds them to even)."""
    return math.floor(x + 0.5)


def split_counts(total, fractions):
    """Examples per split as Model Lab counts them: train and validation rounded, test the rest."""
    train = js_round(total * fractions["train"])
    validation = min(total - train, js_round(total * fractions["validation"]))
    return {"train": train, "validation": validation, "test": total - train - validation}


class Dataset:
    def __init__(self, folder, loss):
        with open(os.path.join(folder, "meta.json"), encoding="utf-8") as f:
            self.meta = json.load(f)
        self.folder = folder
        self.loss = loss
        self.kind = self.meta["kind"]
        self.classes = self.meta.get("classes")
        self.vocab = self.meta.get("vocab")
        self.target_scaling = self.meta.get("targetScaling")
        self.input_shape = self.meta["inputShape"]
        self.output_shape = self.meta["outputShape"]
        if self.kind == "text":
            self.context = self.meta["contextLength"]
            if "read" in self.meta:
                self._read_text_file(self._source_path())
            else:
                self.ids = self._array("ids")
                self.stretches = self.meta["stretches"]
            self.sizes = {s: max(0, (end - start - 1) // self.context) for s, (start, end) in self.stretches.items()}
        elif "read" in self.meta:
            self._read_csv_file(self._source_path())
            self.sizes = {s: len(rows) for s, rows in self.splits.items()}
        else:
            self.x = self._array("x").reshape(-1, *self.input_shape)
            self.labels = self._array("labels") if "labels" in self.meta["arrays"] else None
            self.targets = self._array("targets") if "targets" in self.meta["arrays"] else None
            if self.targets is not None:
                self.targets = self.targets.reshape(len(self.x), -1)
            self.splits = {s: self._array(f"split-{s}") for s in ("train", "validation", "test")}
            self.sizes = {s: len(rows) for s, rows in self.splits.items()}

    def _source_path(self):
        return os.path.abspath(os.path.join(self.folder, self.meta["read"]["file"]))

    def _read_text_file(self, path):
        """The experiment's own text, read as Model Lab reads it: UTF-8 without a byte-order mark,
        one id per character in a vocabulary of its distinct characters, cut into train,
        validation and test stretches in that order by data.splits."""
        with open(path, "rb") as f:
            text = f.read().decode("utf-8")
        if text.startswith("\ufeff"):
            text = text[1:]
        vocab = characters_of(text)
        if vocab != self.vocab:
            # model.py's embedding and output layers are sized by the vocabulary of the export.
            raise SystemExit(
                f"{path}: the text's characters ({len(vocab)} distinct) are not the {len(self.vocab)} the model "
                "was exported for; export the project from Model Lab again after changing the text."
            )
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        distinct, inverse = np.unique(codes, return_inverse=True)
        id_of = {char: i for i, char in enumerate(vocab)}
        self.ids = np.array([id_of[chr(code)] for code in distinct], dtype=np.int32)[inverse]
        fractions = self.meta["read"]["splits"]
        train_end = js_round(len(text) * fractions["train"])
        validation_end = min(train_end + js_round(len(text) * fractions["validation"]), len(text))
        self.stretches = {
            "train": [0, train_end],
            "validation": [train_end, validation_end],
            "test": [validation_end, len(text)],
        }

    def _read_csv_file(self, path):
        """The experiment's own CSV table: its rows split by data.seed and data.splits, its
        features scaled by data.normalize on the training rows, as Model Lab does."""
        read = self.meta["read"]
        table = Table(path, read.get("header", True), read.get("target"), read["task"], read.get("columns"), read.get("categorical"), read.get("missing", "error"))
        order = np.array(Rng(read["seed"]).shuffle(list(range(len(table.x)))), dtype=np.int64)
        counts = split_counts(len(table.x), read["splits"])
        cuts = np.cumsum([counts["train"], counts["validation"]])
        self.splits = dict(zip(("train", "validation", "test"), np.split(order, cuts)))
        if read.get("missing") == "fill":
            table.fill(self.splits["train"])
        table.normalize(self.splits["train"], read.get("normalize", "standard"))
        table.encode(self.splits["train"])
        if table.classes != self.classes or table.x.shape[1] != math.prod(self.input_shape):
            # model.py's input and output layers are sized by the table of the export.
            raise SystemExit(
                f"{path}: the table's feature columns or classes are not those the model was exported for; "
                "export the project from Model Lab again after changing the table."
            )
        self.x = table.x.reshape(-1, *self.input_shape)
        self.labels, self.targets = table.labels, table.targets

    def _array(self, name):
        spec = self.meta["arrays"][name]
        return np.fromfile(os.path.join(self.folder, spec["file"]), dtype=_DTYPES[spec["dtype"]])

    def batches(self, split, batch_size, rng=None, max_batches=None, shuffle=True):
        """Yields (x, y) tensors; training batches need `rng` (the epoch's generator), unless
        `shuffle` is False ("shuffle": false): then they follow the file's row order."""
        if self.kind == "text":
            yield from self._text_batches(split, batch_size, rng, max_batches)
            return
        rows = self.splits[split]
        if split == "train":
            if shuffle:
                order = rng.shuffle(list(range(len(rows))))
                rows = rows[order]
            else:
                rows = np.sort(rows)
            end = len(rows) - len(rows) % batch_size
        else:
            end = len(rows)
        for start in range(0, end, batch_size):
            yield self._rows(rows[start : min(start + batch_size, end)])

    def _rows(self, rows):
        x = torch.from_numpy(self.x[rows])
        if self.targets is not None:
            return x, torch.from_numpy(self.targets[rows])
        labels = self.labels[rows]
        if self.loss == "cross-entropy":
            return x, torch.from_numpy(labels.astype(np.int64))
        if self.loss == "bce-with-logits":
            return x, torch.from_numpy(labels.astype(np.float32)).reshape(-1, 1)
        return x, torch.nn.functional.one_hot(torch.from_numpy(labels.astype(np.int64)), len(self.classes)).float()

    def _text_batches(self, split, batch_size, rng, max_batches):
        start, end = self.stretches[split]
        T = self.context
        if split == "train":
            count = max_batches if max_batches is not None else self.sizes["train"] // batch_size
            last_start = end - T - 1
            for _ in range(count):
                yield self._windows([start + rng.int(last_start - start + 1) for _ in range(batch_size)])
            return
        total = self.sizes[split]
        for first in range(0, total, batch_size):
            n = min(batch_size, total - first)
            yield self._windows([start + (first + i) * T for i in range(n)])

    def _windows(self, starts):
        T = self.context
        windows = np.stack([self.ids[s : s + T + 1] for s in starts]).astype(np.int64)
        return torch.from_numpy(windows[:, :T].copy()), torch.from_numpy(windows[:, 1:].copy())
