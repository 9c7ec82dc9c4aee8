"""Pieces both trainers share: device and precision, seeding, the optimizer and schedule,
length-bucketed batches with dynamic padding, base-folder checks and CUDA out-of-memory errors.

Two test hooks let the test command (which never has a GPU) run the code CUDA runs:
- FINLABEL_WORKER_CPU_AS_CUDA=1: on the CPU, take CUDA's precision branches (bf16 autocast, bf16
  credit base weights, fused AdamW). The helpers also take the choice as an argument
  (`cpu_as_cuda`, `fused`). Without it the CPU trains in fp32 with the unfused AdamW, as it always has.
- FINLABEL_WORKER_FAULT=oom-at-step:N[,batch-over:B]: the N-th optimizer step of every training
  job (only when the configured batch size is over B) raises a real torch.cuda.OutOfMemoryError, so
  the OUT_OF_MEMORY answer and the server's half-batch retry run end to end (see injected_fault).
"""

import contextlib
import functools
import math
import os
import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple

from .errors import RpcError, invalid
from .imports import require
from .param_checks import is_int
from .protocol import ErrorCode

DEFAULTS: Dict[str, Any] = {
    "epochs": 5,
    "batchSize": 32,
    "learningRate": 5e-5,
    "weightDecay": 0.01,
    "warmupRatio": 0.1,
    "patience": 2,
    "minSteps": 0,
    "selectionWindow": 1,
    "seed": 42,
    "device": "auto",
    "bf16": True,
    "processes": 1,
    "maxSeconds": 0,
    "threads": 0,
}


@dataclass(frozen=True)
class Hyper:
    epochs: int
    batch_size: int
    learning_rate: float
    weight_decay: float
    warmup_ratio: float
    patience: int
    min_steps: int
    # Epochs are compared by the mean dev figure of this many evaluations ending at each (1: its own).
    selection_window: int
    seed: int
    device: str
    bf16: bool
    processes: int
    # Training ends (best checkpoint kept) once this many seconds of training have run; 0: no limit.
    max_seconds: float = 0.0
    # CPU threads torch may use for this job; 0: as the process has them (background retraining uses 1).
    threads: int = 0


def parse_hyper(raw: Any, overrides: Optional[Dict[str, Any]] = None) -> Hyper:
    """TrainHyperparameters with defaults (`overrides` replaces DEFAULTS per model), checked."""
    values = {**DEFAULTS, **(overrides or {})}
    if raw is not None and not isinstance(raw, dict):
        raise invalid("hyper must be an object")
    for key, value in (raw or {}).items():
        if key not in DEFAULTS:
            raise invalid(f"hyper.{key} is not a setting (known: {', '.join(sorted(DEFAULTS))})")
        if value is not None:
            values[key] = value

    def positive_int(key: str, minimum: int = 1) -> int:
        v = values[key]
        if not isinstance(v, int) or isinstance(v, bool) or v < minimum:
            raise invalid(f"hyper.{key} must be an integer >= {minimum}, got {v!r}")
        return v

    def number(key: str, low: float, high: float) -> float:
        v = values[key]
        if not isinstance(v, (int, float)) or isinstance(v, bool) or not low <= v <= high:
            raise invalid(f"hyper.{key} must be a number in [{low}, {high}], got {v!r}")
        return float(v)

    if values["device"] not in ("auto", "cpu", "cuda"):
        raise invalid(f"hyper.device must be auto, cpu or cuda, got {values['device']!r}")
    return Hyper(
        epochs=positive_int("epochs"),
        batch_size=positive_int("batchSize"),
        learning_rate=number("learningRate", 0.0, 1.0),
        weight_decay=number("weightDecay", 0.0, 1.0),
        warmup_ratio=number("warmupRatio", 0.0, 1.0),
        patience=positive_int("patience", 0),
        min_steps=positive_int("minSteps", 0),
        selection_window=positive_int("selectionWindow"),
        seed=positive_int("seed", 0),
        device=values["device"],
        bf16=bool(values["bf16"]),
        processes=positive_int("processes"),
        max_seconds=number("maxSeconds", 0.0, 7 * 24 * 3600.0),
        threads=positive_int("threads", 0),
    )


def should_stop(hyper: Hyper, evaluations_without_gain: int, steps_done: int, best_metric: Optional[float]) -> bool:
    """Early stopping that never ends a run before it has started to learn: `patience` evaluations
    without a better dev figure stop training only once `minSteps` optimizer steps have run and the
    best dev figure so far is above 0. A model trained from random weights often scores 0 for its
    first epochs; stopping then would keep a model that predicts nothing."""
    if not hyper.patience or evaluations_without_gain < hyper.patience:
        return False
    return steps_done >= hyper.min_steps and best_metric is not None and best_metric > 0


def out_of_time(hyper: Hyper, train_seconds: float) -> bool:
    """The job's time budget (hyper.maxSeconds of training) is spent."""
    return hyper.max_seconds > 0 and train_seconds >= hyper.max_seconds


@contextlib.contextmanager
def torch_threads(threads: int) -> Iterator[None]:
    """torch uses `threads` CPU threads inside the block (0: unchanged), then as many as before, so a
    background job can leave the other cores to the editor without slowing the next job."""
    if threads <= 0:
        yield
        return
    torch = require("torch")
    before = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def select_device(requested: str) -> Any:
    torch = require("torch")
    if requested == "cuda" and not torch.cuda.is_available():
        raise invalid("hyper.device is cuda, but PyTorch sees no CUDA device")
    if requested == "cpu" or not torch.cuda.is_available():
        return torch.device("cpu")
    return torch.device("cuda")


def seed_everything(seed: int) -> None:
    torch = require("torch")
    random.seed(seed)
    torch.manual_seed(seed)


CPU_AS_CUDA_ENV = "FINLABEL_WORKER_CPU_AS_CUDA"
FAULT_ENV = "FINLABEL_WORKER_FAULT"


def cpu_as_cuda() -> bool:
    """The test switch FINLABEL_WORKER_CPU_AS_CUDA=1: the CPU takes CUDA's precision branches."""
    return os.environ.get(CPU_AS_CUDA_ENV) == "1"


def uses_bf16(device: Any, bf16: bool, cpu_as_cuda_paths: Optional[bool] = None) -> bool:
    """Whether work on `device` runs in bf16 when the job asks for `bf16`: on CUDA; on the CPU only
    when `cpu_as_cuda_paths` (default: the test switch), since fp32 there is exact and fast enough."""
    if cpu_as_cuda_paths is None:
        cpu_as_cuda_paths = cpu_as_cuda()
    return bool(bf16) and (device.type == "cuda" or (device.type == "cpu" and cpu_as_cuda_paths))


def autocast(device: Any, bf16: bool, cpu_as_cuda_paths: Optional[bool] = None) -> Any:
    """bf16 autocast on CUDA; nothing on CPU unless `cpu_as_cuda_paths` (or the test switch) asks
    for torch.autocast("cpu", dtype=torch.bfloat16): the same branch, another device."""
    torch = require("torch")
    if uses_bf16(device, bf16, cpu_as_cuda_paths):
        return torch.autocast(device_type=device.type, dtype=torch.bfloat16)
    return contextlib.nullcontext()


def make_optimizer(parameters: Sequence[Any], hyper: Hyper, device: Any, fused: bool = True) -> Any:
    """AdamW, fused unless `fused` is False (the tests' unfused reference); no weight decay on biases
    and LayerNorm weights. Fused on the CPU too: one kernel over each parameter instead of a dozen
    tensor operations, which took 40% of a small BiLSTM's training step (its 21,128-row embedding is
    updated whole each step; bench/README.md, "small CPU model")."""
    torch = require("torch")
    params = [p for p in parameters if p.requires_grad]
    decay = [p for p in params if p.ndim >= 2]
    no_decay = [p for p in params if p.ndim < 2]
    groups = [{"params": decay, "weight_decay": hyper.weight_decay}, {"params": no_decay, "weight_decay": 0.0}]
    kwargs = {"fused": True} if fused else {}
    return torch.optim.AdamW([g for g in groups if g["params"]], lr=hyper.learning_rate, **kwargs)


@functools.lru_cache(maxsize=4)
def _parse_fault(spec: str) -> Tuple[int, int]:
    """`oom-at-step:N[,batch-over:B]` -> (N, B); B is 0 when not given."""
    step, over = None, 0
    for part in spec.split(","):
        key, _, value = part.strip().partition(":")
        if key == "oom-at-step" and value.isdigit() and int(value) >= 1:
            step = int(value)
        elif key == "batch-over" and value.isdigit():
            over = int(value)
        else:
            step = None
            break
    if step is None:
        raise ValueError(f"{FAULT_ENV}={spec!r} is not oom-at-step:N[,batch-over:B] (N >= 1)")
    return step, over


def injected_fault(step: int, batch_size: int) -> None:
    """Test hook, called inside each training step with its 1-based optimizer step number in the job
    and the job's batch size: with FINLABEL_WORKER_FAULT=oom-at-step:N[,batch-over:B] set, step N
    raises a real torch.cuda.OutOfMemoryError when the batch size is over B (so a retry at half the
    batch can succeed). Unset (always, outside tests), it does nothing."""
    spec = os.environ.get(FAULT_ENV)
    if not spec:
        return
    at_step, batch_over = _parse_fault(spec)
    if step == at_step and batch_size > batch_over:
        torch = require("torch")
        raise torch.cuda.OutOfMemoryError(
            f"CUDA out of memory. Tried to allocate 2.00 GiB (injected by {FAULT_ENV}={spec} at step {step}, batch size {batch_size})"
        )


def make_schedule(optimizer: Any, total_steps: int, warmup_ratio: float) -> Any:
    """Linear warmup, then linear decay to zero."""
    transformers = require("transformers")
    warmup = int(math.ceil(total_steps * warmup_ratio))
    return transformers.get_linear_schedule_with_warmup(optimizer, warmup, max(total_steps, 1))


def bucketed_batches(lengths: Sequence[int], batch_size: int, rng: random.Random, shuffle: bool = True) -> List[List[int]]:
    """Indices grouped into batches of similar length (sorted within chunks of 50 batches), so
    dynamic padding pads little; the batch order is shuffled each epoch when `shuffle`."""
    order = list(range(len(lengths)))
    if shuffle:
        rng.shuffle(order)
    chunk = batch_size * 50
    batches: List[List[int]] = []
    for start in range(0, len(order), chunk):
        part = sorted(order[start : start + chunk], key=lambda i: lengths[i])
        batches.extend(part[i : i + batch_size] for i in range(0, len(part), batch_size))
    if shuffle:
        rng.shuffle(batches)
    return batches


def pad_batch(sequences: Sequence[Sequence[int]], pad_value: int, device: Any) -> Any:
    """A [batch, longest] long tensor, right-padded with `pad_value`."""
    torch = require("torch")
    longest = max(len(s) for s in sequences)
    out = torch.full((len(sequences), longest), pad_value, dtype=torch.long)
    for row, seq in enumerate(sequences):
        out[row, : len(seq)] = torch.tensor(seq, dtype=torch.long)
    return out.to(device, non_blocking=True)


def check_base_folder(path: str, required_any: Sequence[Sequence[str]]) -> Path:
    """The folder must exist and hold config.json and, for each group, at least one of its files
    (e.g. model.safetensors or model.safetensors.index.json). Pickled weights are refused."""
    folder = Path(path)
    if not folder.is_dir():
        raise RpcError(ErrorCode.BASE_MODEL_INVALID, f"the base model folder {folder} does not exist", {"path": str(folder), "missing": ["config.json"]})
    missing = ["config.json"] if not (folder / "config.json").is_file() else []
    for group in required_any:
        if not any((folder / name).is_file() for name in group):
            missing.append(" or ".join(group))
    if missing:
        pickled = [p.name for p in folder.glob("*.bin")] + [p.name for p in folder.glob("*.pt")]
        hint = f" It has {', '.join(pickled)}: FinLabel loads weights only from safetensors; convert them first." if pickled else ""
        raise RpcError(
            ErrorCode.BASE_MODEL_INVALID, f"the base model folder {folder} lacks {', '.join(missing)}.{hint}", {"path": str(folder), "missing": missing}
        )
    return folder


SAFETENSORS_WEIGHTS = ("model.safetensors", "model.safetensors.index.json")


def check_model_type(folder: Path, supported: Sequence[str], trains: str) -> str:
    """model_type of config.json, read as plain JSON before anything loads: an unknown type is a
    clear UNSUPPORTED_ARCHITECTURE refusal (naming what `trains` can train), never a stack trace
    from AutoConfig, and no code from the folder ever runs."""
    import json

    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise RpcError(ErrorCode.BASE_MODEL_INVALID, f"{folder / 'config.json'} is not readable JSON ({e})", {"path": str(folder), "missing": []}) from e
    model_type = config.get("model_type") if isinstance(config, dict) else None
    if model_type not in supported:
        raise RpcError(
            ErrorCode.UNSUPPORTED_ARCHITECTURE,
            f"the base model in {folder} is a {model_type or 'model without model_type'}; {trains}: {', '.join(supported)}",
            {"modelType": str(model_type or ""), "supported": list(supported)},
        )
    return str(model_type)


@contextlib.contextmanager
def out_of_memory_as_error(batch_size: int) -> Iterator[None]:
    """Turns torch.cuda.OutOfMemoryError into an OUT_OF_MEMORY answer naming the batch size."""
    torch = require("torch")
    try:
        yield
    except torch.cuda.OutOfMemoryError as e:
        total = torch.cuda.get_device_properties(0).total_memory if torch.cuda.is_available() else None
        torch.cuda.empty_cache()
        raise RpcError(
            ErrorCode.OUT_OF_MEMORY,
            f"CUDA ran out of memory with batch size {batch_size}; try {max(batch_size // 2, 1)} ({str(e).splitlines()[0]})",
            {"batchSize": batch_size, "memoryBytes": total},
        ) from e


def peak_memory(device: Any) -> Optional[int]:
    torch = require("torch")
    return int(torch.cuda.max_memory_allocated(device)) if device.type == "cuda" else None


def versions() -> Dict[str, str]:
    import platform

    out = {"python": platform.python_version()}
    for name in ("torch", "transformers", "peft", "onnx", "onnxruntime", "safetensors"):
        try:
            out[name] = require(name).__version__
        except RpcError:
            pass
    return out


def pad_token_id(config: Any, vocab_size: Optional[int] = None) -> int:
    """The id that right-pads a batch: config.pad_token_id when it is a token of the model (of
    `vocab_size`, default config.vocab_size), else 0. Any id works, since no real token attends to
    the padding; the model's own is the natural choice."""
    pad = getattr(config, "pad_token_id", None)
    rows = vocab_size if vocab_size is not None else getattr(config, "vocab_size", 0)
    return int(pad) if is_int(pad) and 0 <= pad < rows else 0


def dev_metric(callback: str, answer: Any) -> float:
    """The dev figure in the server's answer to an evaluate/* callback ({metric: number, name}). Any
    other answer fails the job with an INTERNAL error that shows it, both trainers alike."""
    metric = answer.get("metric") if isinstance(answer, dict) else None
    if not isinstance(metric, (int, float)) or isinstance(metric, bool) or math.isnan(metric):
        raise RpcError(ErrorCode.INTERNAL, f"{callback} answered {answer!r}; expected {{metric: number, name}}")
    return float(metric)


@dataclass
class FitOutcome:
    """What a trainer's fit() hands its save_model(): the epochs' figures and the epoch kept."""

    epochs: List[Dict[str, Any]] = field(default_factory=list)
    best_epoch: int = 0
    best_metric: Optional[float] = None
    samples_per_second: float = 0.0
    train_seconds: float = 0.0
    # The credit trainer also records these for its card.
    dev_metric_name: Optional[str] = None
    tokens_per_second: float = 0.0


class BestCheckpoint:
    """The epoch a trainer keeps, and a copy of its weights: both trainers offer each epoch's dev
    figure, stop early on `without_gain` (should_stop) and restore the kept epoch's weights at the end.

    An epoch is judged by the mean of the dev figures of the last `window` evaluations ending at it
    (a small dev split's F1 jumps a few points from epoch to epoch by chance; with window > 1 one lucky
    epoch is not kept); `metric` is the kept epoch's own figure. Without a dev figure (no dev data)
    the last epoch is kept, and no copy is made."""

    def __init__(self, window: int = 1) -> None:
        self.window = window
        self.epoch = 0
        self.metric: Optional[float] = None
        self.without_gain = 0
        self._recent: List[float] = []
        self._best_smoothed: Optional[float] = None
        self._state: Optional[Dict[str, Any]] = None
        self._last_offered = 0

    def offer(self, epoch: int, metric: Optional[float], state_fn: Callable[[], Dict[str, Any]]) -> bool:
        """Judges an epoch just evaluated; when it is the best so far, keeps `state_fn()` (a copy of its
        weights that training does not change: on the CPU). Returns whether it was kept."""
        self._last_offered = epoch
        if metric is None:
            self.epoch = epoch
            return True
        self._recent.append(metric)
        window = self._recent[-self.window :]
        smoothed = sum(window) / len(window)
        if self._best_smoothed is None or smoothed > self._best_smoothed:
            self.epoch, self.metric, self._best_smoothed, self.without_gain = epoch, metric, smoothed, 0
            self._state = state_fn()
            return True
        self.without_gain += 1
        return False

    def restore(self, load_fn: Callable[[Dict[str, Any]], Any], outcome: "FitOutcome") -> None:
        """Loads the kept epoch's weights through `load_fn` (unless the model already holds them: the
        kept epoch is the last one offered) and records the kept epoch and its figure in `outcome`."""
        if self._state is not None and self.epoch != self._last_offered:
            load_fn(self._state)
        outcome.best_epoch, outcome.best_metric = self.epoch, self.metric


def cpu_copy(state: Dict[str, Any]) -> Dict[str, Any]:
    """A copy on the CPU of a state dict's tensors, which training on goes on without changing."""
    return {k: v.detach().to("cpu", copy=True) for k, v in state.items()}


def hyper_json(hyper: Hyper) -> Dict[str, Any]:
    """The hyperparameters for a model card, under their TrainHyperparameters (protocol) names: the
    keys of DEFAULTS, each read from the Hyper field of the same name in snake case."""
    return {name: getattr(hyper, re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()) for name in DEFAULTS}


# Both trainers clip the gradients' norm to this before each optimizer step.
MAX_GRAD_NORM = 1.0
