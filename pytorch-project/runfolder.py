"""Model Lab's run-folder contract, written by rank 0, so Model Lab's Runs view and panels
chart this run live next to its own:

    <runs-dir>/<experiment>/<run-id>/
      run.json       status, config, seed, device, versions, worldSize, runtime "pytorch";
                     the name, tags and notes Model Lab's runs table saves there are kept
      metrics.jsonl  one {"step", "epoch", "time", "split", "name", "value"} per line
      log.txt        timestamped lines
      checkpoints/   last/ and best/: checkpoint.json + tensors-<step>.bin (Model Lab's format)
      eval.json      test scores
      model.onnx     the trained model (torch.onnx.export)
"""
import json
import os
import re
import shutil
import time
from datetime import datetime, timezone

import numpy as np


def _now():
    return datetime.now(timezone.utc)


def _iso(moment):
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def write_json_atomic(path, value):
    """Writes next to the target, then renames: a reader never sees half a file."""
    temporary = f"{path}.tmp-{os.getpid()}"
    with open(temporary, "w", encoding="utf-8") as f:
        json.dump(value, f, indent=2)
    os.replace(temporary, path)


def experiment_folder_name(name):
    safe = re.sub(r"^[-.]+|-+$", "", re.sub(r"[^A-Za-z0-9._-]+", "-", name.strip()))
    return safe or "experiment"


# What the user writes about a run in Model Lab (src/runs/runAnnotations.ts); the trainer never sets them.
ANNOTATION_FIELDS = ("name", "tags", "notes")

# Model Lab's runs table writes the name, tags and notes into run.json while this script writes
# the rest; each reads, changes and writes the whole file under the folder lock run.json.lock
# (as Model Lab does), so neither writes back a copy the other has changed meanwhile. A lock older
# than LOCK_STALE_S was left by a process that died holding it and is taken over.
LOCK_STALE_S = 2.0


def _take_info_lock(lock):
    """True once the lock is ours; False when the folder cannot hold it (the write then reports why)."""
    while True:
        try:
            os.mkdir(lock)
            return True
        except FileExistsError:
            try:
                stale = time.time() - os.stat(lock).st_mtime > LOCK_STALE_S
            except OSError:
                continue  # released meanwhile
            if stale:
                _release_info_lock(lock)
            else:
                time.sleep(0.002)
        except OSError:
            return False


def _release_info_lock(lock):
    try:
        os.rmdir(lock)
    except OSError:
        pass  # taken over as stale by another process


class RunFolder:
    def __init__(self, runs_dir, info):
        started = _now()
        base = started.strftime("%Y%m%d-%H%M%S")
        parent = os.path.join(runs_dir, experiment_folder_name(info["experiment"]))
        os.makedirs(parent, exist_ok=True)
        run_id, n = base, 2
        while True:
            try:
                os.mkdir(os.path.join(parent, run_id))
                break
            except FileExistsError:
                run_id, n = f"{base}-{n}", n + 1
        self.dir = os.path.join(parent, run_id)
        self.info = {**info, "id": run_id, "status": "running", "startedAt": _iso(started), "pid": os.getpid()}
        self.write_info()

    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    def write_info(self):
        # Model Lab's runs table saves a run's name, tags and notes into run.json, also while it
        # trains: take them from the file on disk so this write keeps them.
        lock = self.path("run.json.lock")
        held = _take_info_lock(lock)
        try:
            self._merge_annotations_and_write()
        finally:
            if held:
                _release_info_lock(lock)

    def _merge_annotations_and_write(self):
        try:
            with open(self.path("run.json"), encoding="utf-8") as f:
                on_disk = json.load(f)
        except (OSError, ValueError):
            on_disk = None
        if isinstance(on_disk, dict):
            for field in ANNOTATION_FIELDS:
                if field in on_disk:
                    self.info[field] = on_disk[field]
                else:
                    self.info.pop(field, None)
        write_json_atomic(self.path("run.json"), self.info)

    def update(self, **patch):
        self.info.update(patch)
        self.write_info()

    def append_metrics(self, records):
        if not records:
            return
        with open(self.path("metrics.jsonl"), "a", encoding="utf-8") as f:
            f.write("".join(json.dumps(r) + "\n" for r in records))
            f.flush()
        summary = self.info.setdefault("summary", {})
        for r in records:
            summary[f"{r['split']}/{r['name']}"] = r["value"]
            self.info["step"] = max(self.info.get("step", 0), r["step"])
            self.info["epoch"] = max(self.info.get("epoch", 0), r["epoch"])

    def log(self, message):
        stamp = _iso(_now())
        with open(self.path("log.txt"), "a", encoding="utf-8") as f:
            f.write("".join(f"{stamp} {line}\n" for line in message.splitlines()))
        print(message, flush=True)

    def finish(self, status, reason=None, error=None):
        patch = {"status": status, "endedAt": _iso(_now())}
        if error:
            patch["error"] = error
        self.info.pop("pid", None)
        self.update(**patch)
        if reason:
            self.log(reason)


def save_checkpoint(run_dir, kind, tensors, position):
    """Model Lab's checkpoint layout: float32 tensors concatenated in tensors-<step>.bin, indexed
    by checkpoint.json, which is renamed into place last."""
    folder = os.path.join(run_dir, "checkpoints", kind)
    os.makedirs(folder, exist_ok=True)
    data_file = f"tensors-{position['step']}.bin"
    index, offset = [], 0
    arrays = []
    for name, array in tensors.items():
        flat = np.ascontiguousarray(array, dtype="<f4").reshape(-1)
        index.append({"name": name, "dims": list(array.shape), "offset": offset, "length": int(flat.size)})
        offset += flat.size
        arrays.append(flat)
    temporary = os.path.join(folder, f"{data_file}.tmp-{os.getpid()}")
    with open(temporary, "wb") as f:
        for flat in arrays:
            f.write(flat.tobytes())
    os.replace(temporary, os.path.join(folder, data_file))
    meta = {"format": 1, "position": position, "dataFile": data_file, "tensors": index, "savedAt": _iso(_now())}
    write_json_atomic(os.path.join(folder, "checkpoint.json"), meta)
    for name in os.listdir(folder):
        if name.startswith("tensors-") and name != data_file:
            os.remove(os.path.join(folder, name))


def load_checkpoint(run_dir, kind="last"):
    """(tensors by name, position) of a run's checkpoint; exits with a clear message if absent."""
    return load_checkpoint_folder(os.path.join(run_dir, "checkpoints", kind))


def load_checkpoint_folder(folder):
    """(tensors by name, position) of a folder holding checkpoint.json and its tensors file."""
    try:
        with open(os.path.join(folder, "checkpoint.json"), encoding="utf-8") as f:
            meta = json.load(f)
        floats = np.fromfile(os.path.join(folder, meta["dataFile"]), dtype="<f4")
    except FileNotFoundError:
        raise SystemExit(f"No checkpoint in {folder}: pass a run folder that has a saved checkpoint.")
    tensors = {}
    for t in meta["tensors"]:
        tensors[t["name"]] = floats[t["offset"] : t["offset"] + t["length"]].reshape(t["dims"])
    return tensors, meta["position"]


def copy_best_checkpoint(from_run, to_run):
    """A resumed run keeps the best weights of the run it continues (Model Lab does the same)."""
    source = os.path.join(from_run, "checkpoints", "best")
    if os.path.exists(os.path.join(source, "checkpoint.json")):
        shutil.copytree(source, os.path.join(to_run, "checkpoints", "best"), dirs_exist_ok=True)


def copy_metrics(from_run, to_run, up_to_step):
    """A resumed run starts with the metrics of the run it continues, so its charts continue."""
    source = os.path.join(from_run, "metrics.jsonl")
    if not os.path.exists(source):
        return []
    kept = []
    with open(source, encoding="utf-8") as f:
        for line in f:
            try:
                record = json.loads(line)
            except ValueError:
                continue  # a torn last line
            if record.get("step", 0) <= up_to_step:
                kept.append(record)
    return kept


class Clock:
    """Seconds of training, continued across resumes."""

    def __init__(self, offset=0.0):
        self.start = time.perf_counter() - offset

    def __call__(self):
        return time.perf_counter() - self.start
