"""A CSV table of yours, read as Model Lab's loader reads it (src/data/csvDataset.ts): the same
cells and numbers, the same class order, and feature scaling fitted on the training rows only.
Which rows are training rows is data.py's part (the seeded split)."""
import math
import re

import numpy as np

# JavaScript's Number() of a trimmed cell: decimal literals, and 0x / 0o / 0b integers.
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_RADIX = re.compile(r"0(?:[xX][0-9a-fA-F]+|[oO][0-7]+|[bB][01]+)")


def parse_number(cell):
    """The cell's number, or None when Model Lab would not read one (blank, text, not finite)."""
    text = cell.strip()
    if _DECIMAL.fullmatch(text):
        value = float(text)
    elif _RADIX.fullmatch(text):
        value = float(int(text, 0))
    else:
        return None
    return value if math.isfinite(value) else None


def table_delimiter(text, path):
    """Tab for a .tsv file, else the most frequent of comma, semicolon and tab outside quotes on
    the first line, comma on a tie (decimal commas are never guessed)."""
    if path.lower().endswith(".tsv"):
        return "\t"
    counts = {",": 0, ";": 0, "\t": 0}
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in "\r\n":
            break
        elif not quoted and char in counts:
            counts[char] += 1
    return max(counts, key=lambda d: counts[d])  # max keeps the first of equals: comma, then semicolon


def parse_csv(text, delimiter=","):
    """RFC 4180 records as [line, cells]: "a,b" quoting, "" for a quote, blank lines skipped."""
    records, cells, cell = [], [], []
    quoted, line, record_line = False, 1, 1

    def end_record():
        cells.append("".join(cell))
        if len(cells) > 1 or cells[0].strip() != "":
            records.append([record_line, list(cells)])
        cells.clear()
        cell.clear()

    i = 0
    while i < len(text):
        char = text[i]
        if quoted:
            if char == '"' and text[i + 1 : i + 2] == '"':
                cell.append('"')
                i += 1
            elif char == '"':
                quoted = False
            else:
                line += char == "\n"
                cell.append(char)
        elif char == '"':
            quoted = True
        elif char == delimiter:
            cells.append("".join(cell))
            cell.clear()
        elif char in "\r\n":
            if char == "\r" and text[i + 1 : i + 2] == "\n":
                i += 1
            end_record()
            line += 1
            record_line = line
        else:
            cell.append(char)
        i += 1
    end_record()
    return records


# Words for "no value" in a numeric column (any case), besides an empty cell (data.missing).
_NO_VALUE_WORDS = {"na", "n/a", "nan", "null"}


def is_missing(cell, numeric):
    """Whether Model Lab reads the cell as missing: empty, or a no-value word in a numeric column."""
    text = cell.strip()
    return text == "" or (numeric and text.lower() in _NO_VALUE_WORDS)


def _label_order(labels):
    """Numeric labels in numeric order (2 before 10), others as JavaScript sorts strings."""
    if all(parse_number(label) is not None for label in labels):
        return sorted(labels, key=parse_number)
    return sorted(labels, key=lambda label: label.encode("utf-16-be"))


class Table:
    """x: float32 [rows, features]; labels (int32) and classes, or targets (float32 [rows, 1])."""

    def __init__(self, path, header, target, task, columns=None, categorical=None, missing="error"):
        with open(path, "rb") as f:
            text = f.read().decode("utf-8")
        text = text[1:] if text.startswith("\ufeff") else text
        records = parse_csv(text, table_delimiter(text, path))
        names = [name.strip() for name in records.pop(0)[1]] if header else None
        width = len(names) if names else len(records[0][1])

        def index_of(c):
            return c if isinstance(c, int) else names.index(c)

        column = width - 1 if target is None else index_of(target)
        # data.columns, or every column but the target.
        features = [index_of(c) for c in columns] if columns is not None else [c for c in range(width) if c != column]
        # data.categorical: one-hot encoded after the numeric columns (encode(), once the training rows are known).
        self.categorical = [index_of(c) for c in categorical or []]
        numeric = [c for c in features if c not in self.categorical]
        records = self._rows_to_keep(path, records, numeric, column, task == "regression", missing)
        self.categorical_cells = [[cells[c].strip() for c in self.categorical] for _, cells in records]
        # float64 until fill() has put the training means in the missing (NaN) cells.
        self.numeric = np.array(
            [[math.nan if is_missing(cells[c], True) else self._number(path, line, cells, c) for c in numeric] for line, cells in records],
            dtype=np.float64,
        ).reshape(len(records), len(numeric))
        self.x = self.numeric.astype(np.float32)
        self.labels = self.classes = self.targets = None
        if task == "regression":
            targets = [self._number(path, line, cells, column) for line, cells in records]
            self.targets = np.array(targets, dtype=np.float64).astype(np.float32).reshape(-1, 1)
        else:
            labels = [cells[column].strip() for _, cells in records]
            self.classes = _label_order(list(dict.fromkeys(labels)))
            id_of = {label: i for i, label in enumerate(self.classes)}
            self.labels = np.array([id_of[label] for label in labels], dtype=np.int32)

    def _rows_to_keep(self, path, records, numeric, target, numeric_target, missing):
        """data.missing: "drop" leaves out rows with a missing cell, "fill" rows without a target;
        "error" stops at the first missing cell (Model Lab refused it before the export)."""
        def target_missing(cells):
            return is_missing(cells[target], numeric_target)

        def feature_missing(cells):
            return any(is_missing(cells[c], True) for c in numeric) or any(is_missing(cells[c], False) for c in self.categorical)

        if missing == "drop":
            return [(line, cells) for line, cells in records if not target_missing(cells) and not feature_missing(cells)]
        if missing == "fill":
            return [(line, cells) for line, cells in records if not target_missing(cells)]
        for line, cells in records:
            if target_missing(cells) or feature_missing(cells):
                raise SystemExit(f"{path}:{line}: a missing value; fill it in, or set data.missing in Model Lab and export the project again.")
        return records

    def fill(self, train_rows):
        """data.missing "fill": a numeric column's missing cells get the training rows' mean (summed
        in order as Model Lab sums it), a categorical column's its most frequent value (the first in
        label order on a tie)."""
        for c in range(self.numeric.shape[1]):
            values = self.numeric[train_rows, c]
            values = values[~np.isnan(values)]
            self.numeric[np.isnan(self.numeric[:, c]), c] = np.cumsum(values)[-1] / len(values)
        self.x = self.numeric.astype(np.float32)
        for i in range(len(self.categorical)):
            present = [self.categorical_cells[r][i] for r in train_rows if self.categorical_cells[r][i] != ""]
            counts = {value: present.count(value) for value in dict.fromkeys(present)}
            most = max(counts.values())
            value = _label_order([v for v, n in counts.items() if n == most])[0]
            for cells in self.categorical_cells:
                if cells[i] == "":
                    cells[i] = value

    @staticmethod
    def _number(path, line, cells, column):
        value = parse_number(cells[column]) if column < len(cells) else None
        if value is None:
            raise SystemExit(f"{path}:{line}: column {column} holds {cells[column]!r} (or is missing), not a number; fix the row, or export the project from Model Lab again to see its checks.")
        return value

    def encode(self, train_rows):
        """Appends the categorical columns one-hot: the categories are the training rows' distinct
        values in Model Lab's order, and a value the training rows never had is all zeros."""
        blocks = [self.x]
        for i in range(len(self.categorical)):
            categories = _label_order(list(dict.fromkeys(self.categorical_cells[r][i] for r in train_rows)))
            position = {category: p for p, category in enumerate(categories)}
            block = np.zeros((len(self.x), len(categories)), dtype=np.float32)
            for r, cells in enumerate(self.categorical_cells):
                if cells[i] in position:
                    block[r, position[cells[i]]] = 1
            blocks.append(block)
        self.x = np.concatenate(blocks, axis=1)

    def normalize(self, train_rows, mode):
        """Scales each column in place by statistics of the training rows, summed in order as
        Model Lab sums them; a constant column is shifted, not divided by 0."""
        if mode == "none" or len(train_rows) == 0:
            return
        for c in range(self.x.shape[1]):
            values = self.x[train_rows, c].astype(np.float64)
            if mode == "standard":
                shift = np.cumsum(values)[-1] / len(values)
                scale = math.sqrt(np.cumsum((values - shift) ** 2)[-1] / len(values))
            else:
                shift = values.min()
                scale = values.max() - shift
            divisor = scale if scale > 0 else 1.0
            self.x[:, c] = ((self.x[:, c].astype(np.float64) - shift) / divisor).astype(np.float32)
