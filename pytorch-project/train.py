"""Trains the exported Model Lab experiment with PyTorch: the same model, data, optimizer,
schedule, clipping, validation cadence, early stopping and test evaluation as Model Lab.

    python train.py                                   # one process
    torchrun --nproc_per_node N train.py              # N processes, DistributedDataParallel

Rank 0 writes Model Lab's run-folder format (runfolder.py), so Model Lab charts the run live.
"""
import argparse
import contextlib
import gc
import json
import math
import os
import platform
import signal
import sys
import time

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F

from data import Dataset, Rng, epoch_seed
from layers import DropoutSites
from model import PARAMETERS, Model
from runfolder import (
    Clock,
    RunFolder,
    copy_best_checkpoint,
    copy_metrics,
    load_checkpoint,
    load_checkpoint_folder,
    save_checkpoint,
    write_json_atomic,
)

HERE = os.path.dirname(os.path.abspath(__file__))
HIGHER_IS_BETTER = {"accuracy", "f1", "r2"}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    parser.add_argument("--max-steps", type=int, help="stop after this many optimizer steps in total")
    parser.add_argument("--runs-dir", default=os.path.join(HERE, ".modellab", "runs"), help="where run folders go")
    parser.add_argument("--init-from", metavar="RUN_FOLDER", help="start from the weights of a Model Lab run's last checkpoint")
    parser.add_argument("--resume", metavar="RUN_FOLDER", help="continue a run (Model Lab's or this project's) from its last checkpoint")
    args = parser.parse_args()
    if args.max_steps is not None and args.max_steps < 0:
        parser.error("--max-steps must be ≥ 0")
    if args.init_from and args.resume:
        parser.error("use either --init-from or --resume, not both")
    return args


# ---------------------------------------------------------------- schedule (Model Lab's learningRateAt)
def learning_rate_at(base, schedule, step, total_steps):
    kind = (schedule or {}).get("type", "constant")
    warmup = (schedule or {}).get("warmupSteps")
    if warmup is None:
        warmup = max(1, round_half_up(total_steps * 0.05)) if kind == "warmup-cosine" else 0
    if step < warmup:
        return base * (step + 1) / warmup
    if kind == "constant":
        return base
    if kind == "step":
        size = schedule.get("stepSize") or max(1, total_steps // 3)
        return base * schedule.get("gamma", 0.1) ** (step // size)
    floor = base * schedule.get("minFactor", 0)
    span = max(1, total_steps - warmup)
    progress = min(1, (step - warmup) / span)
    return floor + (base - floor) * 0.5 * (1 + math.cos(math.pi * progress))


def round_half_up(x):
    return math.floor(x + 0.5)  # JavaScript's Math.round


def dropout_key(seed, step):
    """The engine's key of a step: Rng((seed·0x9e3779b1 + step·0x85ebca6b) mod 2³²).int31()."""
    state = ((seed * 0x9E3779B1 + step * 0x85EBCA6B) & 0xFFFFFFFF) ^ 0x9E3779B9
    return math.floor(Rng(state).next() * 2147483647)


# ---------------------------------------------------------------- losses and scores
def per_example_loss(name, output, target, smoothing):
    if name == "cross-entropy":
        classes = output.shape[-1]
        loss = F.cross_entropy(
            output.reshape(-1, classes), target.reshape(-1), reduction="none", label_smoothing=smoothing
        ).reshape(target.shape)
    elif name == "mse":
        loss = (output - target) ** 2
    else:
        loss = F.binary_cross_entropy_with_logits(output, target, reduction="none")
    return loss.reshape(loss.shape[0], -1).mean(dim=1)


class Scores:
    """Sums over a split that add up across ranks: loss, confusion matrix, regression errors."""

    def __init__(self, experiment, data, width):
        self.task = experiment["task"]
        self.metrics = experiment.get("metrics", [])
        self.wants_classes = self.task == "classification" or "accuracy" in self.metrics
        labels = data.classes or data.vocab or [str(i) for i in range(max(width, 2))]
        self.labels = labels
        self.width = width
        self.scaling = data.target_scaling
        self.sums = torch.zeros(2, dtype=torch.float64)  # loss sum, count
        self.confusion = torch.zeros(len(labels), len(labels), dtype=torch.float64)
        self.regression = torch.zeros(5, dtype=torch.float64)  # |e|, e², Σy, Σy², n

    def add(self, losses, output, target):
        self.sums += torch.tensor([losses.double().sum().item(), losses.shape[0]], dtype=torch.float64)
        if self.task == "regression":
            actual, predicted = self._data_units(target), self._data_units(output)
            error = predicted - actual
            self.regression += torch.stack(
                [error.abs().sum(), (error**2).sum(), actual.sum(), (actual**2).sum(), torch.tensor(float(actual.numel()), dtype=torch.float64)]
            )
        elif self.wants_classes:
            if self.width == 1:
                predicted = (output.reshape(-1) > 0).long()
            else:
                predicted = output.reshape(-1, self.width).argmax(dim=1)
            actual = target.reshape(-1).long()
            n = len(self.labels)
            self.confusion += torch.bincount(actual * n + predicted, minlength=n * n).reshape(n, n).double()

    def _data_units(self, values):
        values = values.double().reshape(-1)
        if self.scaling:
            return values * self.scaling["scale"] + self.scaling["shift"]
        return values

    def all_reduce(self):
        if dist.is_initialized():
            for t in (self.sums, self.confusion, self.regression):
                dist.all_reduce(t)

    def values(self):
        loss_sum, count = self.sums.tolist()
        loss = loss_sum / count if count else float("nan")
        values = {"loss": loss}
        if self.task == "regression":
            abs_sum, sq_sum, y_sum, y_sq, n = self.regression.tolist()
            total = y_sq - y_sum * y_sum / n if n else 0.0
            values["mae"] = abs_sum / n if n else float("nan")
            values["rmse"] = math.sqrt(sq_sum / n) if n else float("nan")
            values["r2"] = 1 - sq_sum / total if total > 0 else (1.0 if sq_sum == 0 else 0.0)
        elif self.wants_classes and count:
            report = self.class_report()
            correct = self.confusion.diag().sum().item()
            values["accuracy"] = correct / self.confusion.sum().item()
            if "f1" in self.metrics:
                values["f1"] = sum(c["f1"] for c in report) / len(report)
        if self.task == "language-model":
            values["perplexity"] = math.exp(loss)
        return values

    def class_report(self):
        report = []
        for i, label in enumerate(self.labels):
            tp = self.confusion[i, i].item()
            support = self.confusion[i].sum().item()
            predicted = self.confusion[:, i].sum().item()
            precision = tp / predicted if predicted else 0.0
            recall = tp / support if support else 0.0
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            report.append({"label": label, "precision": precision, "recall": recall, "f1": f1, "support": int(support)})
        return report


# ---------------------------------------------------------------- the run
class Training:
    def __init__(self, args):
        with open(os.path.join(HERE, "experiment.json"), encoding="utf-8") as f:
            self.experiment = json.load(f)
        self.training = self.experiment["training"]
        self.args = args
        self.world = int(os.environ.get("WORLD_SIZE", "1"))
        self.rank = int(os.environ.get("RANK", "0"))
        self.device = self._device(args.device)
        if self.world > 1:
            backend = "nccl" if self.device.type == "cuda" else "gloo"
            dist.init_process_group(backend, init_method="env://")
        self.batch = self.training["batchSize"]
        if self.batch % self.world:
            raise SystemExit(f"training.batchSize {self.batch} must be a multiple of the {self.world} processes: the global batch stays {self.batch}.")
        self.local_batch = self.batch // self.world
        self.data = Dataset(os.path.join(HERE, "data"), self.training["loss"])
        torch.manual_seed(self.training["seed"])
        self.model = Model().to(self.device)
        self.trained = self.model
        if self.world > 1:
            ids = [self.device.index] if self.device.type == "cuda" else None
            self.trained = torch.nn.parallel.DistributedDataParallel(self.model, device_ids=ids)
        self.optimizer = self._optimizer()
        steps_in_train = self.data.sizes["train"] // self.batch
        per_epoch = self.training.get("stepsPerEpoch")
        self.steps_per_epoch = per_epoch if self.experiment["task"] == "language-model" and per_epoch is not None else steps_in_train
        if self.steps_per_epoch < 1:
            raise SystemExit(f"The training split holds {self.data.sizes['train']} examples, fewer than one batch of {self.batch}.")
        self.total_steps = self.training["epochs"] * self.steps_per_epoch
        if args.max_steps is not None:
            self.total_steps = min(self.total_steps, args.max_steps)
        early = self.training.get("earlyStopping") or {}
        metric = early.get("metric", "loss")
        self.monitored = metric.split("/", 1)[1] if "/" in metric else metric
        self.mode = early.get("mode") or ("max" if self.monitored in HIGHER_IS_BETTER else "min")
        self.patience = early.get("patience")
        self.position = {"step": 0, "epoch": 0, "batchInEpoch": 0, "validationsWithoutImprovement": 0}
        self.clock = Clock()
        self.last_validated = -1
        self.run = None
        self.stop = StopRequest()

    def _device(self, requested):
        if requested == "cuda" or (requested == "auto" and torch.cuda.is_available()):
            if not torch.cuda.is_available():
                raise SystemExit("--device cuda: PyTorch sees no CUDA device here.")
            local = int(os.environ.get("LOCAL_RANK", "0"))
            torch.cuda.set_device(local)
            return torch.device("cuda", local)
        return torch.device("cpu")

    def _optimizer(self):
        config = self.training["optimizer"]
        lr, decay = config["learningRate"], config.get("weightDecay", 0)
        params = self.model.parameters()
        if config["type"] == "sgd":
            return torch.optim.SGD(params, lr=lr, momentum=config.get("momentum", 0), weight_decay=decay)
        betas = tuple(config.get("betas", [0.9, 0.999]))
        kind = torch.optim.AdamW if config["type"] == "adamw" else torch.optim.Adam
        return kind(params, lr=lr, betas=betas, eps=1e-8, weight_decay=decay)

    # ------------------------------------------------------------ checkpoints in Model Lab's format
    def _named(self):
        return dict(self.model.named_parameters())

    def state_tensors(self):
        named, tensors = self._named(), {}
        slot_names = {"exp_avg": "m", "exp_avg_sq": "v", "momentum_buffer": "velocity"}
        for lab_name, torch_name, transpose in PARAMETERS:
            p = named[torch_name]
            as_lab = lambda t: (t.t() if transpose else t).detach().cpu().numpy()
            tensors[lab_name] = as_lab(p)
            for slot, value in self.optimizer.state.get(p, {}).items():
                if slot in slot_names and torch.is_tensor(value):
                    tensors[f"{lab_name}.{slot_names[slot]}"] = as_lab(value)
        return tensors

    def load_tensors(self, tensors, step, with_optimizer):
        named = self._named()
        missing = [lab for lab, _, _ in PARAMETERS if lab not in tensors]
        if missing:
            raise SystemExit(f"The checkpoint lacks {', '.join(missing)}: it was saved for a different model.")
        kind = self.training["optimizer"]["type"]
        slots = {"m": "exp_avg", "v": "exp_avg_sq"} if kind != "sgd" else {"velocity": "momentum_buffer"}
        for lab_name, torch_name, transpose in PARAMETERS:
            p = named[torch_name]
            as_torch = lambda a: (lambda t: t.t().contiguous() if transpose else t)(torch.from_numpy(np.array(a, dtype=np.float32))).to(self.device)
            value = as_torch(tensors[lab_name])
            if value.shape != p.shape:
                raise SystemExit(f"{lab_name} has shape {list(value.shape)} in the checkpoint, {list(p.shape)} in this model.")
            with torch.no_grad():
                p.copy_(value)
            if with_optimizer:
                state = {torch_slot: as_torch(tensors[f"{lab_name}.{slot}"]) for slot, torch_slot in slots.items() if f"{lab_name}.{slot}" in tensors}
                if state:
                    if kind != "sgd":
                        state["step"] = torch.tensor(float(step))
                    self.optimizer.state[p] = state

    def save(self, kind):
        if self.rank != 0:
            return
        position = dict(self.position, time=self.clock())
        if self.position["batchInEpoch"] >= self.steps_per_epoch:
            position.update(epoch=self.position["epoch"] + 1, batchInEpoch=0)
        save_checkpoint(self.run.dir, kind, self.state_tensors(), position)

    # ------------------------------------------------------------ the loop
    def main(self):
        args = self.args
        if self.rank == 0:
            self.run = RunFolder(args.runs_dir, self._run_info())
            print(f"Run folder: {self.run.dir}", flush=True)
        try:
            status, outcome = self._train()
        except KeyboardInterrupt:
            # A second Ctrl+C, or one outside the training loop: the run folder says the run
            # ended early, instead of "running" forever; --resume continues from its last checkpoint.
            if self.run:
                self.run.finish(
                    "interrupted",
                    reason="Interrupted (Ctrl+C or SIGTERM); --resume continues from the last checkpoint.",
                )
            raise
        except BaseException as error:
            if self.run:
                self.run.finish("failed", error=str(error) or type(error).__name__)
            raise
        if self.run:
            self.run.finish(status, reason=outcome)
        if dist.is_initialized():
            # Rank 0 hosts the rendezvous store: all ranks meet here before any of them leaves.
            dist.barrier()
            # DistributedDataParallel lets go of the process group before it is destroyed. Left to the
            # end, its reducer would hold the group's last reference, and destroying the group from
            # there joins gloo's worker threads while holding Python's lock, which a worker freeing
            # a tensor may be waiting for: torch 1.13 then hangs after a complete run.
            self.trained = self.model
            gc.collect()
            dist.destroy_process_group()
        return status

    def _run_info(self):
        device = {"requested": self.args.device, "chosen": self.device.type, "message": self._device_message()}
        return {
            "experiment": self.experiment["name"],
            "experimentFile": os.path.join(HERE, "experiment.json"),
            "config": self.experiment,
            "seed": self.training["seed"],
            "device": device,
            "versions": {"modelLab": MODEL_LAB_VERSION, "torch": torch.__version__, "python": platform.python_version()},
            "runtime": "pytorch",
            "worldSize": self.world,
            **({"resumedFrom": os.path.abspath(self.args.resume)} if self.args.resume else {}),
        }

    def _device_message(self):
        if self.device.type == "cuda":
            return f"PyTorch {torch.__version__} on {torch.cuda.get_device_name(self.device)} × {self.world}"
        return f"PyTorch {torch.__version__} on CPU × {self.world}"

    def _train(self):
        args = self.args
        if args.init_from:
            tensors, _ = load_checkpoint(args.init_from)
            self.load_tensors(tensors, 0, with_optimizer=False)
            self.log(f"Initial weights from {args.init_from}.")
        elif not args.resume:
            # Model Lab's own seeded initialisation of this experiment, exported with it.
            tensors, _ = load_checkpoint_folder(os.path.join(HERE, "initial-weights"))
            self.load_tensors(tensors, 0, with_optimizer=False)
        if args.resume:
            tensors, position = load_checkpoint(args.resume)
            self.load_tensors(tensors, position["step"], with_optimizer=True)
            self.position = {k: position[k] for k in ("step", "epoch", "batchInEpoch", "validationsWithoutImprovement") if k in position}
            if "best" in position:
                self.position["best"] = position["best"]
            self.clock = Clock(position.get("time", 0))
            if self.run:
                self.run.append_metrics(copy_metrics(args.resume, self.run.dir, position["step"]))
                copy_best_checkpoint(args.resume, self.run.dir)
            self.log(f"Resuming from {args.resume} at step {position['step']} (epoch {position['epoch'] + 1}).")
        self.log(f"{self.world} process(es) on {self.device.type}, global batch {self.batch}, {self.total_steps} steps.")
        with self.stop.armed():
            stopped = self._epochs()
        if stopped == "signal":
            # As Model Lab's Stop: the last checkpoint and the model as they are now.
            self.save("last")
            self.export_onnx()
            return "stopped", f"Stopped at step {self.position['step']} (Ctrl+C or SIGTERM); the last checkpoint is saved, --resume continues from it."
        if self.last_validated != self.position["step"]:
            self.validate()
        self.save("last")
        self._use_best_weights()
        self.evaluate_test()
        self.export_onnx()
        if stopped == "early":
            return "completed", f"Early stopping at step {self.position['step']}: validation {self.monitored} did not improve in {self.patience} validations."
        return "completed", f"Training finished after {self.position['step']} steps."

    def _epochs(self):
        """Trains until the step budget is spent; "early" when early stopping fired, "signal"
        when Ctrl+C or SIGTERM asked to stop, None otherwise."""
        t = self.training
        every_validate = t.get("validateEverySteps")
        every_checkpoint = (t.get("checkpoint") or {}).get("everySteps")
        while self.position["epoch"] < t["epochs"]:
            rng = Rng(epoch_seed(t["seed"], self.position["epoch"]))
            batches = self.data.batches(
                "train",
                self.batch,
                rng,
                max_batches=t.get("stepsPerEpoch"),
                shuffle=self.experiment["data"].get("shuffle", True),
            )
            for _ in range(self.position["batchInEpoch"]):
                next(batches)
            while self.position["step"] < self.total_steps and self.position["batchInEpoch"] < self.steps_per_epoch:
                batch = next(batches, None)
                if batch is None:
                    break
                if self.train_step(*batch):
                    return "signal"
                step = self.position["step"]
                if every_validate and step % every_validate == 0 and self.validate():
                    return "early"
                if every_checkpoint and step % every_checkpoint == 0:
                    self.save("last")
            if self.position["batchInEpoch"] >= self.steps_per_epoch:
                if every_validate is None and self.validate():
                    return "early"
                if every_checkpoint is None:
                    self.save("last")
                self.log(f"Epoch {self.position['epoch'] + 1}/{t['epochs']} done at step {self.position['step']}.")
            if self.position["step"] >= self.total_steps:
                return None
            self.position["epoch"] += 1
            self.position["batchInEpoch"] = 0
        return None

    def train_step(self, x, y):
        """One optimizer step on the global batch; True when a stop was asked for (on any rank)."""
        t = self.training
        began = time.perf_counter()
        step = self.position["step"]
        lr = learning_rate_at(t["optimizer"]["learningRate"], t.get("schedule"), step, self.total_steps)
        for group in self.optimizer.param_groups:
            group["lr"] = lr
        shard = slice(self.rank * self.local_batch, (self.rank + 1) * self.local_batch)
        x, y = x[shard].to(self.device), y[shard].to(self.device)
        self.trained.train()
        drop = DropoutSites(dropout_key(t["seed"], step), True, self.rank, self.world)
        output = self.trained(x, drop)
        loss = per_example_loss(t["loss"], output, y, t.get("labelSmoothing", 0)).mean()
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        if t.get("clipNorm"):
            torch.nn.utils.clip_grad_norm_(self.model.parameters(), t["clipNorm"])
        self.optimizer.step()
        # The loss and the stop request travel in one reduction: every rank stops after the same step.
        shared = torch.stack([loss.detach().float(), torch.tensor(float(self.stop.requested), device=loss.device)])
        if dist.is_initialized():
            dist.all_reduce(shared)
        value, stop = shared[0].item() / self.world, shared[1].item() > 0
        seconds = time.perf_counter() - began
        if not math.isfinite(value):
            raise RuntimeError(f"The training loss became {value} at step {step + 1}; lower training.optimizer.learningRate or set training.clipNorm.")
        self.position["step"] = step + 1
        self.position["batchInEpoch"] += 1
        # Global examples per second, as Model Lab's engine records it.
        self.record("train", {"loss": value, "lr": lr, "samples_per_sec": self.batch / seconds})
        return stop

    def evaluate(self, split):
        self.model.eval()
        width = self.data.output_shape[-1]
        scores = Scores(self.experiment, self.data, width)
        with torch.no_grad():
            for index, (x, y) in enumerate(self.data.batches(split, self.batch)):
                if index % self.world != self.rank:
                    continue  # each rank scores every world-th batch; the sums are reduced below
                x, y = x.to(self.device), y.to(self.device)
                output = self.model(x)
                losses = per_example_loss(self.training["loss"], output, y, self.training.get("labelSmoothing", 0))
                scores.add(losses.cpu(), output.cpu(), y.cpu())
        scores.all_reduce()
        return scores

    def validate(self):
        """Scores the validation split, keeps the best checkpoint; True when early stopping fires."""
        self.last_validated = self.position["step"]
        if self.data.sizes["validation"] == 0:
            return False
        values = self.evaluate("validation").values()
        self.record("validation", values)
        value = values.get(self.monitored)
        if value is None or not math.isfinite(value):
            return False
        best = self.position.get("best")
        improved = best is None or (value < best["value"] if self.mode == "min" else value > best["value"])
        if improved:
            self.position["best"] = {"value": value, "step": self.position["step"]}
            self.position["validationsWithoutImprovement"] = 0
            self.save("best")
        else:
            self.position["validationsWithoutImprovement"] += 1
        return self.patience is not None and self.position["validationsWithoutImprovement"] >= self.patience

    def _use_best_weights(self):
        best = self.position.get("best")
        if not best or best["step"] == self.position["step"]:
            return
        if self.rank == 0:
            tensors, _ = load_checkpoint(self.run.dir, "best")
            self.load_tensors(tensors, best["step"], with_optimizer=False)
        if dist.is_initialized():
            for p in self.model.parameters():
                dist.broadcast(p.data, 0)
        self.log(f"Evaluating and exporting the best model: step {best['step']}, validation {self.monitored} {best['value']:.4g}.")

    def evaluate_test(self):
        if self.data.sizes["test"] == 0:
            self.log("No test split (data.splits.test is 0): skipping the test evaluation.")
            return
        scores = self.evaluate("test")
        values = scores.values()
        self.record("test", values)
        if self.rank != 0:
            return
        count = int(scores.sums[1].item())
        report = {"split": "test", "count": count, "loss": values["loss"]}
        if "accuracy" in values:
            report["accuracy"] = values["accuracy"]
        if self.experiment["task"] == "classification":
            report["classes"] = scores.class_report()
            report["confusion"] = scores.confusion.long().tolist()
        for name in ("perplexity", "mae", "rmse", "r2"):
            if name in values:
                report[name] = values[name]
        if self.experiment["task"] == "regression":
            report["units"] = "data"
        write_json_atomic(self.run.path("eval.json"), report)
        self.log(f"Test ({count} examples): " + ", ".join(f"{k} {v:.4g}" for k, v in values.items()) + ".")

    def export_onnx(self):
        if self.rank != 0:
            return
        model = self.model.to("cpu").eval()
        dtype = torch.int64 if self.data.kind == "text" or self.data.vocab else torch.float32
        example = torch.zeros(1, *self.data.input_shape, dtype=dtype)
        path = self.run.path("model.onnx")
        temporary = f"{path}.tmp-{os.getpid()}"
        torch.onnx.export(
            model, (example,), temporary, input_names=["input"], output_names=["output"],
            dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}}, opset_version=17,
        )
        os.replace(temporary, path)
        self.model.to(self.device)

    # ------------------------------------------------------------ records
    def record(self, split, values):
        if self.rank != 0:
            return
        epoch = self.position["epoch"] + self.position["batchInEpoch"] / self.steps_per_epoch
        time = self.clock()
        records = [
            {"step": self.position["step"], "epoch": epoch, "time": time, "split": split, "name": name, "value": value}
            for name, value in values.items()
            if math.isfinite(value)
        ]
        self.run.append_metrics(records)
        if split != "train" or self.position["step"] % 50 == 0:
            self.run.write_info()

    def log(self, message):
        if self.run:
            self.run.log(message)


with open(os.path.join(HERE, "data", "meta.json"), encoding="utf-8") as _meta:
    MODEL_LAB_VERSION = json.load(_meta).get("modelLab", "unknown")

class StopRequest:
    """Ctrl+C or SIGTERM (a scheduler's cancel) while the training loop runs: the step in flight
    finishes, the last checkpoint is saved and the run ends "stopped", as Model Lab's Stop does.
    A second signal, or one outside the loop, interrupts at once."""

    def __init__(self):
        self.requested = False
        self._armed = False
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, self._on_signal)

    def _on_signal(self, signum, frame):
        if self._armed and not self.requested:
            self.requested = True
            print("Stopping after this step (Ctrl+C again stops at once)…", flush=True)
            return
        raise KeyboardInterrupt

    @contextlib.contextmanager
    def armed(self):
        self._armed = True
        try:
            yield
        finally:
            self._armed = False


if __name__ == "__main__":
    try:
        status = Training(parse_args()).main()
    except KeyboardInterrupt:
        sys.exit(130)
    sys.exit(130 if status == "stopped" else 0)  # a shell's convention for a run ended by Ctrl+C
