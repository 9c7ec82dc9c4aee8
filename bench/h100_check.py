#!/usr/bin/env python3
"""Every CUDA path of the worker once, in one run of at most 9 minutes on one GPU (bench/README.md,
"The GPU check").
Run it through bench/h100_check.sh (which puts the worker on PYTHONPATH and unpacks carried wheels):

    bash bench/h100_check.sh OUT_DIR            # a CUDA machine: the real checks
    bash bench/h100_check.sh OUT_DIR --cpu      # here: the same steps with CPU stand-ins (plumbing)

Steps, each in its own process with its own time limit; a failing or overrunning step is recorded
and the run goes on:

  versions   python, torch, CUDA, the GPU, transformers, peft, safetensors, onnx, onnxruntime,
             bitsandbytes, numpy, pytest: found against the pins of requirements*.txt
  pytest     the worker's suite (test/worker) with CUDA visible (--cpu: the CUDA-path tests only)
  entity     the real train/entities job: bf16 autocast and fused AdamW (checked), ONNX export,
             predict/entities; then the BiLSTM (the server's tiny default) the same way
  torchrun   train/entities under torchrun, 1 process, nccl (--cpu: gloo), through the launcher
             the worker uses for several GPUs (entities/ddp.py)
  credit7b   a Qwen2-7B-shape base (random bf16 weights): LoRA, credit.train.train_step with fused
             AdamW, then scoring, and the cost of a row's reasons (one counterfactual prompt per
             feature, 12 here) against scoring it (--cpu: the benchmark's smoke shape)
  oom        a real CUDA out-of-memory (a batch far too big under a 3 GiB cap) answered as
             OUT_OF_MEMORY with the batch size to try, then a small job in the same process
             (--cpu: FINLABEL_WORKER_FAULT raises torch.cuda.OutOfMemoryError instead)
  four_bit   train/credit with memory.fourBit (bitsandbytes NF4) on a small Qwen2 folder, then
             scoring from the saved folder (--cpu, or bitsandbytes missing: the refusal message)
  bench      bench/gpu_training.py: its table and log (--cpu: --smoke)

OUT_DIR gets at most 8 files (what the GPU machine's tool returns): summary.md, summary.json,
steps.log, pytest.log, gpu_training.md, gpu_training.log.
"""

import argparse
import datetime
import json
import math
import os
import platform
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

REPO = Path(__file__).resolve().parents[1]
WORKER = REPO / "src" / "server" / "worker" / "python"
if str(WORKER) not in sys.path:
    sys.path.insert(0, str(WORKER))

GiB = 1024**3
# Features per row whose reasons the credit7b step prices: the 12 feature columns of issue 18's loan table.
REASON_FEATURES = 12
TOTAL_SECONDS = 540
MARGIN_SECONDS = 15
BENCH_MIN_SECONDS = 100
# (step, its time limit in seconds); the benchmark gets what is left (at least TOTAL - sum - margin).
STEPS: List[Tuple[str, Optional[int]]] = [
    ("versions", 30),
    ("pytest", 150),
    ("entity", 45),
    ("torchrun", 40),
    ("credit7b", 50),
    ("oom", 35),
    ("four_bit", 45),
    ("bench", None),
]
# Steps that only prove the driver: one fails, one overruns its limit (test/worker/test_h100_check_plumbing.py).
SELFTEST_STEPS = {"selftest_fail": 10.0, "selftest_hang": 10.0}
PACKAGES = ("torch", "transformers", "peft", "safetensors", "onnx", "onnxruntime", "numpy", "bitsandbytes", "pytest")


class StepFailed(Exception):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise StepFailed(message)


def log(message: str) -> None:
    print(f"[h100_check {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ---- helpers the steps share ------------------------------------------------------------------------


def device_for(cpu: bool) -> Any:
    import torch

    if cpu:
        # The CUDA paths' precision branches on the CPU (train_common's test switch).
        from finlabel_worker.train_common import CPU_AS_CUDA_ENV

        os.environ[CPU_AS_CUDA_ENV] = "1"
        return torch.device("cpu")
    check(torch.cuda.is_available(), "PyTorch sees no CUDA device")
    return torch.device("cuda")


def check_job() -> Any:
    """A job context without a server: progress kept in .events, the dev metric a constant."""
    from finlabel_worker.job import JobContext

    class CheckJob(JobContext):
        def __init__(self) -> None:
            self.job_id = "h100-check"
            self.events: List[Tuple[str, Dict[str, Any]]] = []

        def progress(self, phase: str, **fields: Any) -> None:
            self.events.append((phase, fields))

        def cancelled(self) -> bool:
            return False

        def call_server(self, method: str, params: Any, timeout: Optional[float] = None) -> Any:
            return {"metric": 0.5, "name": "constant (h100_check has no server)"}

    return CheckJob()


def tagging_examples(count: int, vocab: int, shortest: int, longest: int, tags: int, seed: int) -> List[Dict[str, List[int]]]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        n = rng.randint(shortest, longest)
        ids = [rng.randrange(1000, vocab) for _ in range(n)]
        labels = [rng.randrange(tags) for _ in range(n)]
        labels[0] = labels[-1] = -100
        out.append({"inputIds": ids, "labelIds": labels})
    return out


def with_word_boundaries(examples: List[Dict[str, List[int]]]) -> List[Dict[str, List[int]]]:
    """The examples with random word boundary ids (0 at the first and last token, as at [CLS] and [SEP])."""
    rng = random.Random(1)
    return [{**e, "wordBoundaryIds": [0] + [rng.randrange(1, 5) for _ in e["inputIds"][2:]] + [0]} for e in examples]


ENTITY_LABELS = ["O", "B-A", "I-A", "B-B", "I-B", "B-C", "I-C"]


def entity_params(out: Path, base: Dict[str, Any], train: List[Any], dev: List[Any], export: bool, **hyper: Any) -> Dict[str, Any]:
    return {
        "jobId": "h100-check",
        "base": base,
        "labels": ENTITY_LABELS,
        "train": train,
        "dev": dev,
        "hyper": {"epochs": 1, "batchSize": 32, "learningRate": 1e-3, "patience": 0, **hyper},
        "export": {"onnx": export, "quantize": export},
        "output": {"dir": str(out), "files": {"labels.json": json.dumps(ENTITY_LABELS)}, "card": {"check": "h100_check"}},
    }


def small_bert(cpu: bool) -> Dict[str, Any]:
    if cpu:
        return {"kind": "tiny", "vocabSize": 21128, "hiddenSize": 64, "layers": 2, "heads": 2, "intermediateSize": 128, "maxPositions": 128}
    return {"kind": "tiny", "vocabSize": 21128, "hiddenSize": 256, "layers": 4, "heads": 4, "intermediateSize": 1024, "maxPositions": 128}


def finite(values: List[float]) -> bool:
    return all(v is not None and math.isfinite(v) for v in values)


# ---- the steps ----------------------------------------------------------------------------------------


def step_versions(cpu: bool, scratch: Path) -> Dict[str, Any]:
    import importlib

    found: Dict[str, Any] = {"python": platform.python_version(), "executable": sys.executable, "platform": platform.platform()}
    for name in PACKAGES:
        try:
            found[name] = getattr(importlib.import_module(name), "__version__", "?")
        except Exception as e:  # noqa: BLE001 - a missing or broken package is a finding
            found[name] = f"not importable ({type(e).__name__}: {str(e).splitlines()[0][:120] if str(e) else ''})"
    import torch

    found["torch.version.cuda"] = torch.version.cuda
    found["cudnn"] = torch.backends.cudnn.version() if torch.backends.cudnn.is_available() else None
    found["cuda_available"] = torch.cuda.is_available()
    if torch.cuda.is_available():
        props = torch.cuda.get_device_properties(0)
        found["gpu"] = props.name
        found["gpu_memory_gib"] = round(props.total_memory / GiB, 1)
        found["gpu_capability"] = f"{props.major}.{props.minor}"
        found["gpu_count"] = torch.cuda.device_count()
        found["bf16_supported"] = torch.cuda.is_bf16_supported()
        found["nccl"] = ".".join(map(str, torch.cuda.nccl.version())) if hasattr(torch.cuda, "nccl") else None
    try:
        smi = subprocess.run(
            ["nvidia-smi", "--query-gpu=name,driver_version,memory.total", "--format=csv,noheader"], capture_output=True, text=True, timeout=10
        )
        found["nvidia_smi"] = smi.stdout.strip() or smi.stderr.strip()
    except (OSError, subprocess.SubprocessError) as e:
        found["nvidia_smi"] = f"not available ({e})"
    pins: Dict[str, str] = {}
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (WORKER / name).read_text(encoding="utf-8").splitlines():
            match = re.match(r"^([A-Za-z0-9_.-]+)==([^\s;#]+)", line.strip())
            if match:
                pins[match.group(1).lower()] = match.group(2)
    found["pins"] = pins
    if not cpu:
        check(torch.cuda.is_available(), "PyTorch sees no CUDA device")
    return found


def step_entity(cpu: bool, scratch: Path) -> Dict[str, Any]:
    """The real train/entities job on the GPU: bf16 autocast and fused AdamW, checked by watching
    the trainer's own helpers; then ONNX export (parity-checked by the trainer) and predict/entities."""
    import torch
    from finlabel_worker import train_common
    from finlabel_worker.entities import train as entity_train
    from finlabel_worker.entities.predict import predict_entities

    device = device_for(cpu)
    seen: Dict[str, Any] = {}
    real_optimizer, real_autocast = train_common.make_optimizer, train_common.autocast

    def spy_optimizer(*args: Any, **kwargs: Any) -> Any:
        optimizer = real_optimizer(*args, **kwargs)
        seen["fused"] = bool(optimizer.defaults.get("fused"))
        return optimizer

    def spy_autocast(*args: Any, **kwargs: Any) -> Any:
        context = real_autocast(*args, **kwargs)
        seen.setdefault("autocast", []).append(getattr(context, "fast_dtype", None) if isinstance(context, torch.autocast) else None)
        return context

    entity_train.make_optimizer = spy_optimizer
    entity_train.autocast = spy_autocast
    count = 256 if cpu else 4096
    train = tagging_examples(count, 21128, 16, 64, len(ENTITY_LABELS), seed=1)
    dev = tagging_examples(64, 21128, 16, 64, len(ENTITY_LABELS), seed=2)
    out = scratch / "entity-model"
    params = entity_params(out, small_bert(cpu), train, dev, export=True, epochs=2, batchSize=64, device=device.type)
    job = check_job()
    started = time.perf_counter()
    result = entity_train.train_entities(params, job)
    seconds = time.perf_counter() - started
    check(seen.get("fused") is True, f"the optimizer is not the fused AdamW: {seen}")
    check(bool(seen.get("autocast")) and all(d == torch.bfloat16 for d in seen["autocast"]), f"autocast was not bf16: {seen.get('autocast')}")
    check(str(result["device"]).startswith(device.type), f"trained on {result['device']}")
    check(finite([e["trainLoss"] for e in result["epochs"]]), f"losses {result['epochs']}")
    check(result.get("onnx") is not None and (out / "model.onnx").is_file() and (out / "model.int8.onnx").is_file(), f"no ONNX export: {result.get('onnx')}")
    if not cpu:
        check((result["peakMemoryBytes"] or 0) > 0, "no peak GPU memory reported")
    predicted = predict_entities({"modelDir": str(out), "batch": [e["inputIds"] for e in dev[:16]]})
    check(
        len(predicted["labelIds"]) == 16 and all(len(p) == len(e["inputIds"]) for p, e in zip(predicted["labelIds"], dev)),
        "predict/entities answered the wrong shape",
    )
    # The server's tiny default is the character BiLSTM (an LSTM under bf16 autocast: cuDNN's RNN) that reads word boundaries.
    seen.clear()
    bilstm = {"kind": "tiny", "architecture": "bilstm", "vocabSize": 21128, "hiddenSize": 128, "wordBoundaries": True}
    lstm = entity_train.train_entities(
        entity_params(
            scratch / "bilstm-model",
            bilstm,
            with_word_boundaries(train[:1024]),
            with_word_boundaries(dev),
            export=True,
            epochs=1,
            batchSize=64,
            device=device.type,
        ),
        job,
    )
    check(seen.get("fused") is True and all(d == torch.bfloat16 for d in seen.get("autocast", [None])), f"BiLSTM: {seen}")
    check(finite([e["trainLoss"] for e in lstm["epochs"]]) and lstm.get("onnx") is not None, f"BiLSTM: {lstm['epochs']}, onnx {lstm.get('onnx')}")
    return {
        "device": result["device"],
        "fusedAdamW": True,
        "autocast": "torch.bfloat16",
        "epochs": result["epochs"],
        "samplesPerSecond": round(result["samplesPerSecond"], 1),
        "peakMemoryBytes": result["peakMemoryBytes"],
        "onnx": result["onnx"],
        "seconds": round(seconds, 1),
        "bilstm": {"epochs": lstm["epochs"], "samplesPerSecond": round(lstm["samplesPerSecond"], 1), "onnxMaxAbsDiff": lstm["onnx"]["maxAbsDiff"]},
    }


def step_torchrun(cpu: bool, scratch: Path) -> Dict[str, Any]:
    """train/entities through the multi-GPU launcher (entities/ddp.py) with one process."""
    from finlabel_worker.entities.ddp import train_distributed
    from finlabel_worker.entities.params import parse_train_params

    device = device_for(cpu)
    train = tagging_examples(256, 21128, 16, 48, len(ENTITY_LABELS), seed=3)
    dev = tagging_examples(32, 21128, 16, 48, len(ENTITY_LABELS), seed=4)
    params = entity_params(scratch / "ddp-model", small_bert(cpu), train, dev, export=False, epochs=1, batchSize=32, device=device.type, processes=1)
    job = parse_train_params(params)
    check(job.hyper.processes == 1, f"processes {job.hyper.processes}")
    ctx = check_job()
    result = train_distributed(params, job, ctx)
    sys.stderr.flush()
    backend = "gloo" if cpu else "nccl"
    log_file = os.environ.get("H100_CHECK_STEP_LOG")
    rank_line = ""
    if log_file and Path(log_file).is_file():
        lines = [line for line in Path(log_file).read_text(encoding="utf-8", errors="replace").splitlines() if "rank 0 of 1: backend" in line]
        rank_line = lines[-1] if lines else ""
    check(f"backend {backend}" in rank_line, f"rank 0 did not report backend {backend} (log line: {rank_line!r})")
    check(str(result["device"]).startswith(device.type), f"trained on {result['device']}")
    check(finite([e["trainLoss"] for e in result["epochs"]]), f"losses {result['epochs']}")
    check((scratch / "ddp-model" / "model.safetensors").is_file(), "rank 0 saved no model")
    check(any(phase == "train" for phase, _ in ctx.events), "no progress relayed from rank 0")
    return {"device": result["device"], "backend": backend, "rankLine": rank_line.strip()[-120:], "epochs": result["epochs"]}


def step_credit7b(cpu: bool, scratch: Path) -> Dict[str, Any]:
    """LoRA on a Qwen2-7B-shape base: one fused-AdamW train step in bf16, then scoring."""
    import torch

    sys.path.insert(0, str(REPO / "bench"))
    import gpu_training as bench  # noqa: E402 - the benchmark's model builder (meta device, bf16 on the GPU)
    from finlabel_worker import train_common
    from finlabel_worker.credit.model import attach_lora
    from finlabel_worker.credit.params import parse_lora
    from finlabel_worker.credit.score import predict_probabilities
    from finlabel_worker.credit.train import train_step

    device = device_for(cpu)
    shapes = bench.SMOKE if cpu else bench.FULL
    started = time.perf_counter()
    base = bench.random_qwen(shapes, device)
    build_seconds = time.perf_counter() - started
    check(next(base.parameters()).dtype == torch.bfloat16, f"base weights are {next(base.parameters()).dtype}, not bf16")
    model = attach_lora(base, parse_lora({}), gradient_checkpointing=False)
    batch, length = 16, 96
    hyper = train_common.parse_hyper({"batchSize": batch, "learningRate": 2e-4})
    optimizer = train_common.make_optimizer(list(model.parameters()), hyper, device)
    check(optimizer.defaults.get("fused") is True, "the optimizer is not the fused AdamW")
    schedule = train_common.make_schedule(optimizer, 100, 0.0)
    trainable = [p for p in model.parameters() if p.requires_grad]
    labels = torch.tensor(bench.LABEL_TOKEN_IDS, device=device)
    vocab = shapes.qwen["vocab_size"]
    generator = torch.Generator().manual_seed(0)
    ids = torch.randint(1000, vocab, (batch, length), generator=generator).to(device)
    lengths = torch.full((batch,), length, device=device)
    targets = torch.randint(0, 2, (batch,), generator=generator).to(device)
    before = [p.detach().clone() for p in trainable]
    losses = []
    started = time.perf_counter()
    for _ in range(3):
        losses.append(float(train_step(model, optimizer, schedule, trainable, ids, lengths, targets, labels, bf16=True)))
    if device.type == "cuda":
        torch.cuda.synchronize()
    step_seconds = (time.perf_counter() - started) / 3
    check(finite(losses), f"losses {losses}")
    check(any(not torch.equal(a, b) for a, b in zip(before, trainable)), "the adapter did not move")
    prompts = torch.randint(1000, vocab, (128, length), generator=generator).tolist()
    started = time.perf_counter()
    probabilities = predict_probabilities(model, prompts, bench.LABEL_TOKEN_IDS, device, bf16=True, batch_size=64)
    score_seconds = time.perf_counter() - started
    check(len(probabilities) == 128 and all(0.0 < p < 1.0 for p in probabilities), "probabilities outside (0, 1)")
    # Reasons per row (issue 18): the server scores one counterfactual prompt per feature that differs
    # from its training reference, in the same batches as rows. Here 16 rows of 12 such features each,
    # every counterfactual the row's prompt with a few tokens (one field's value) changed.
    rows, features = 16, REASON_FEATURES
    counterfactual_prompts = []
    for row in prompts[:rows]:
        for feature in range(features):
            changed = list(row)
            start = 8 + 6 * feature
            changed[start : start + 3] = torch.randint(1000, vocab, (3,), generator=generator).tolist()
            counterfactual_prompts.append(changed)
    started = time.perf_counter()
    counterfactual_probabilities = predict_probabilities(model, counterfactual_prompts, bench.LABEL_TOKEN_IDS, device, bf16=True, batch_size=64)
    reasons_seconds = time.perf_counter() - started
    check(len(counterfactual_probabilities) == rows * features, "a counterfactual was not scored")
    return {
        "shape": f"{shapes.qwen['num_hidden_layers']} x {shapes.qwen['hidden_size']}, vocab {vocab}",
        "params": sum(p.numel() for p in model.parameters()),
        "buildSeconds": round(build_seconds, 1),
        "losses": [round(v, 4) for v in losses],
        "stepSeconds": round(step_seconds, 3),
        "scoreRecordsPerSecond": round(128 / score_seconds, 1),
        "scoreMsPerRow": round(1000 * score_seconds / 128, 2),
        "reasonsMsPerRow": round(1000 * reasons_seconds / rows, 2),
        "reasonFeatures": features,
        "peakMemoryGiB": round(torch.cuda.max_memory_allocated() / GiB, 1) if device.type == "cuda" else None,
    }


def step_oom(cpu: bool, scratch: Path) -> Dict[str, Any]:
    """CUDA out of memory inside a real training step, answered as OUT_OF_MEMORY; then the same
    process trains a small job (the worker goes on after the answer)."""
    import torch
    from finlabel_worker import train_common
    from finlabel_worker.entities.train import train_entities
    from finlabel_worker.errors import RpcError
    from finlabel_worker.protocol import ErrorCode

    device = device_for(cpu)
    if cpu:
        os.environ[train_common.FAULT_ENV] = "oom-at-step:1"
        base, batch, shortest, longest = small_bert(True), 64, 16, 32
    else:
        total = torch.cuda.get_device_properties(0).total_memory
        torch.cuda.set_per_process_memory_fraction(min(1.0, 3 * GiB / total))
        base = {"kind": "tiny", "vocabSize": 21128, "hiddenSize": 768, "layers": 12, "heads": 12, "intermediateSize": 3072, "maxPositions": 512}
        batch, shortest, longest = 256, 480, 512
    big = tagging_examples(batch, 21128, shortest, longest, len(ENTITY_LABELS), seed=5)
    params = entity_params(scratch / "oom-model", base, big, [], export=False, batchSize=batch, device=device.type)
    allocated_before = torch.cuda.memory_allocated() if device.type == "cuda" else None
    try:
        train_entities(params, check_job())
        raise StepFailed(f"batch {batch} of {longest} tokens trained without running out of memory")
    except RpcError as e:
        check(e.code == ErrorCode.OUT_OF_MEMORY, f"answered {e.code}: {e.message}")
        check(isinstance(e.data, dict) and e.data.get("batchSize") == batch, f"data {e.data}")
        check(e.message.startswith(f"CUDA ran out of memory with batch size {batch}; try {batch // 2} ("), e.message)
        answer = {"code": e.code, "message": e.message, "data": e.data}
    check(not (scratch / "oom-model").exists(), "a model folder was left behind")
    import gc

    gc.collect()
    after_oom = torch.cuda.memory_allocated() if device.type == "cuda" else None
    # The server retries in the same worker process: the failed job must not keep its memory.
    if after_oom is not None and allocated_before is not None:
        check(after_oom - allocated_before < 256 * 2**20, f"{(after_oom - allocated_before) / GiB:.2f} GiB still allocated after the OUT_OF_MEMORY answer")
    os.environ.pop(train_common.FAULT_ENV, None)
    small = tagging_examples(64, 21128, 16, 32, len(ENTITY_LABELS), seed=6)
    result = train_entities(entity_params(scratch / "after-oom", small_bert(cpu), small, [], export=False, batchSize=16, device=device.type), check_job())
    check(finite([e["trainLoss"] for e in result["epochs"]]), "the job after the out-of-memory did not train")
    return {"real": not cpu, "answer": answer, "allocatedAfterAnswer": after_oom, "afterwards": result["device"]}


def step_four_bit(cpu: bool, scratch: Path) -> Dict[str, Any]:
    """train/credit with memory.fourBit on a small Qwen2 folder, then score/credit from the saved
    folder; without bitsandbytes (or CUDA), the refusal the user gets."""
    import importlib.util

    import torch
    from finlabel_worker.credit import score_credit, train_credit
    from finlabel_worker.credit.model import tiny_config
    from finlabel_worker.errors import RpcError

    device = device_for(cpu)
    rng = random.Random(7)
    examples = [
        {"inputIds": [rng.randrange(1000, 150000) for _ in range(rng.randrange(20, 40))] + [15 + d], "label": int(d >= 5)}
        for d in (rng.randrange(10) for _ in range(96))
    ]
    base_dir = scratch / "qwen-small"
    params = {
        "jobId": "h100-check-4bit",
        "base": {"kind": "folder", "path": str(base_dir)},
        "labelTokenIds": [15, 16],
        "train": examples[:64],
        "dev": examples[64:],
        "lora": {},
        "hyper": {"epochs": 2, "batchSize": 16, "device": device.type},
        "memory": {"fourBit": True},
        "output": {"dir": str(scratch / "credit-4bit"), "files": {}, "card": {}},
    }
    have_bnb = importlib.util.find_spec("bitsandbytes") is not None
    import transformers

    config = tiny_config({"vocabSize": 151646, "hiddenSize": 256, "layers": 2, "heads": 4, "intermediateSize": 512, "maxPositions": 512})
    torch.manual_seed(0)
    transformers.AutoModelForCausalLM.from_config(config).save_pretrained(str(base_dir))
    if cpu or not have_bnb:
        try:
            train_credit(params, check_job())
        except RpcError as e:
            return {
                "status": "skipped" if not cpu else "ok",
                "reason": "bitsandbytes not importable" if not have_bnb else "no CUDA",
                "refusal": {"code": e.code, "message": e.message},
            }
        raise StepFailed("memory.fourBit trained without bitsandbytes or CUDA")
    import bitsandbytes

    ctx = check_job()
    result = train_credit(params, ctx)
    check(finite([e["trainLoss"] for e in result["epochs"]]), f"losses {result['epochs']}")
    card = json.loads((scratch / "credit-4bit" / "card.json").read_text(encoding="utf-8"))
    check(card["training"]["memory"]["fourBit"] is True, f"card memory {card['training']['memory']}")
    scored = score_credit({"modelDir": str(scratch / "credit-4bit"), "batch": [e["inputIds"] for e in examples[64:]]})
    check(all(0.0 < p < 1.0 for p in scored["probabilities"]), "probabilities outside (0, 1)")
    from finlabel_worker.credit import score as score_module

    cached = score_module._cached
    four_bit_layers = sum(1 for m in cached.model.modules() if type(m).__name__ == "Linear4bit") if cached else 0
    check(four_bit_layers > 0, "the scorer's base has no 4-bit layers")
    return {
        "bitsandbytes": bitsandbytes.__version__,
        "epochs": result["epochs"],
        "peakMemoryBytes": result["peakMemoryBytes"],
        "linear4bitLayers": four_bit_layers,
    }


def step_selftest_fail(cpu: bool, scratch: Path) -> Dict[str, Any]:
    raise StepFailed("a step that fails on purpose (the run goes on)")


def step_selftest_hang(cpu: bool, scratch: Path) -> Dict[str, Any]:
    time.sleep(3600)
    return {}


IN_PROCESS: Dict[str, Callable[[bool, Path], Dict[str, Any]]] = {
    "versions": step_versions,
    "entity": step_entity,
    "torchrun": step_torchrun,
    "credit7b": step_credit7b,
    "oom": step_oom,
    "four_bit": step_four_bit,
    "selftest_fail": step_selftest_fail,
    "selftest_hang": step_selftest_hang,
}


def run_step_here(name: str, cpu: bool, scratch: Path, result_file: Path) -> int:
    """Inside the step's own process: run it, write {status, detail} to result_file."""
    import traceback

    try:
        detail = IN_PROCESS[name](cpu, scratch)
        status = detail.pop("status", "ok") if isinstance(detail, dict) else "ok"
        record = {"status": status, "detail": detail}
    except StepFailed as e:
        record = {"status": "failed", "detail": {"error": str(e)}}
    except BaseException as e:  # noqa: BLE001 - anything a step raises is its finding
        traceback.print_exc()
        record = {"status": "failed", "detail": {"error": f"{type(e).__name__}: {str(e)[:2000]}"}}
    result_file.write_text(json.dumps(record, default=str), encoding="utf-8")
    return 0 if record["status"] in ("ok", "skipped") else 1


# ---- the driver --------------------------------------------------------------------------------------


def run_process(command: List[str], log_path: Path, timeout: float, env: Dict[str, str], stdout_path: Optional[Path] = None) -> Tuple[Optional[int], float]:
    """Runs `command` in its own process group (killed whole on timeout); returns (exit code or
    None on timeout, seconds)."""
    started = time.monotonic()
    with open(log_path, "ab") as err, open(stdout_path or log_path, "ab") as out:
        process = subprocess.Popen(command, cwd=str(REPO), env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err, start_new_session=True)
        try:
            code: Optional[int] = process.wait(timeout=max(timeout, 1))
        except subprocess.TimeoutExpired:
            code = None
            for sig in (signal.SIGTERM, signal.SIGKILL):
                try:
                    os.killpg(process.pid, sig)
                    process.wait(timeout=5)
                    break
                except subprocess.TimeoutExpired:
                    continue
                except ProcessLookupError:
                    break
    return code, time.monotonic() - started


def tail(path: Path, lines: int = 25) -> str:
    if not path.is_file():
        return ""
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def pytest_command(cpu: bool) -> List[str]:
    import importlib.util

    # -v: a line per test as it ends, so a run cut off at its limit still says what passed.
    command = [sys.executable, "-m", "pytest", "-v", "-rfE", "-p", "no:cacheprovider", "--durations=15"]
    if cpu:
        return command + ["test/worker/test_cuda_paths_on_cpu.py"]
    if importlib.util.find_spec("xdist") is not None:
        command += ["-n", "4", "--dist", "loadfile"]  # 16 cores: whole files in parallel, module fixtures intact
    return command + ["test/worker"]


def bench_command(cpu: bool) -> List[str]:
    command = [sys.executable, str(REPO / "bench" / "gpu_training.py")]
    return command + (["--smoke", "--repeats", "1"] if cpu else ["--repeats", "3"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="folder for the results (at most 8 files)")
    parser.add_argument("--cpu", action="store_true", help="CPU stand-ins for the CUDA-only steps: proves the plumbing")
    parser.add_argument("--steps", default=",".join(name for name, _ in STEPS), help="comma-separated steps to run, in the usual order")
    parser.add_argument("--total-seconds", type=float, default=TOTAL_SECONDS, help="the whole run's limit (default 540)")
    parser.add_argument("--budget", action="append", default=[], metavar="STEP=SECONDS", help="another time limit for a step")
    parser.add_argument("--run-step", help=argparse.SUPPRESS)
    parser.add_argument("--scratch", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.run_step:
        return run_step_here(args.run_step, args.cpu, Path(args.scratch), Path(args.result))

    started_at = time.monotonic()
    deadline = started_at + args.total_seconds - MARGIN_SECONDS
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    scratch_root = Path(tempfile.mkdtemp(prefix="finlabel-h100-check-"))
    budgets: Dict[str, Optional[float]] = {**dict(STEPS), **SELFTEST_STEPS}
    for item in args.budget:
        name, _, seconds = item.partition("=")
        budgets[name] = float(seconds)
    known = [name for name, _ in STEPS] + list(SELFTEST_STEPS)
    wanted = [s.strip() for s in args.steps.split(",") if s.strip()]
    unknown = [s for s in wanted if s not in known]
    if unknown:
        parser.error(f"unknown steps {unknown}; known: {', '.join(known)}")
    order = [name for name in known if name in wanted]
    steps_log, pytest_log = out / "steps.log", out / "pytest.log"
    bench_table, bench_log = out / "gpu_training.md", out / "gpu_training.log"
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": os.pathsep.join(filter(None, [str(WORKER), os.environ.get("PYTHONPATH")]))}
    env.pop("FINLABEL_WORKER_FAULT", None)
    env.pop("FINLABEL_WORKER_CPU_AS_CUDA", None)

    records: List[Dict[str, Any]] = []
    versions: Dict[str, Any] = {}
    for index, name in enumerate(order):
        remaining = deadline - time.monotonic()
        # What the later steps are promised (the benchmark at least BENCH_MIN_SECONDS): never eaten.
        later = sum(budgets.get(n) or BENCH_MIN_SECONDS for n in order[index + 1 :])
        cap = budgets.get(name)
        limit = min(cap if cap is not None else remaining, remaining - later)
        record: Dict[str, Any] = {"step": name, "limitSeconds": round(limit, 1)}
        if limit < min(5.0, cap or 5.0):  # too little left of the run
            record.update(status="not run", seconds=0, detail={"error": f"only {remaining:.0f} s of the run's {args.total_seconds:.0f} s were left"})
            records.append(record)
            continue
        log(f"{name}: up to {limit:.0f} s")
        with open(steps_log, "a", encoding="utf-8") as f:
            f.write(f"\n===== {name} ({'cpu stand-ins' if args.cpu else 'cuda'}; limit {limit:.0f} s) =====\n")
        step_env = dict(env)
        if name == "pytest":
            step_env["OMP_NUM_THREADS"] = "2"
            code, seconds = run_process(pytest_command(args.cpu), pytest_log, limit, step_env)
            summary = [line for line in tail(pytest_log, 60).splitlines() if re.search(r"\d+ (passed|failed|error)", line)]
            record.update(
                status="ok" if code == 0 else ("timeout" if code is None else "failed"), detail={"summary": summary[-1] if summary else "", "exit": code}
            )
        elif name == "bench":
            code, seconds = run_process(bench_command(args.cpu), bench_log, limit, step_env, stdout_path=bench_table)
            table = bench_table.read_text(encoding="utf-8") if bench_table.is_file() else ""
            record.update(status="ok" if code == 0 and "| work |" in table else ("timeout" if code is None else "failed"), detail={"exit": code})
        else:
            scratch = scratch_root / name
            scratch.mkdir()
            result_file = scratch_root / f"{name}.json"
            step_log = scratch_root / f"{name}.log"
            step_env["H100_CHECK_STEP_LOG"] = str(step_log)
            command = [
                sys.executable,
                str(Path(__file__).resolve()),
                "--out",
                str(out),
                "--run-step",
                name,
                "--scratch",
                str(scratch),
                "--result",
                str(result_file),
            ]
            code, seconds = run_process(command + (["--cpu"] if args.cpu else []), step_log, limit, step_env)
            with open(steps_log, "a", encoding="utf-8") as f:
                f.write(step_log.read_text(encoding="utf-8", errors="replace") if step_log.is_file() else "")
            if code is None:
                record.update(status="timeout", detail={"error": f"killed after {limit:.0f} s"})
            elif result_file.is_file():
                record.update(json.loads(result_file.read_text(encoding="utf-8")))
            else:
                record.update(status="failed", detail={"error": f"exited {code} without a result", "log": tail(step_log, 15)})
            if name == "versions" and record.get("status") == "ok":
                versions = record["detail"]
        record["seconds"] = round(seconds, 1)
        records.append(record)
        log(f"{name}: {record['status']} in {seconds:.1f} s")
        with open(steps_log, "a", encoding="utf-8") as f:
            f.write(f"----- {name}: {record['status']} in {seconds:.1f} s: {json.dumps(record.get('detail'), default=str)[:3000]}\n")
        write_summary(out, args.cpu, versions, records, time.monotonic() - started_at)

    total = time.monotonic() - started_at
    write_summary(out, args.cpu, versions, records, total)
    bad = [r["step"] for r in records if r["status"] not in ("ok", "skipped")]
    log(f"done in {total:.0f} s; {'all steps ok' if not bad else 'not ok: ' + ', '.join(bad)}; results in {out}")
    return 1 if bad else 0


def write_summary(out: Path, cpu: bool, versions: Dict[str, Any], records: List[Dict[str, Any]], seconds: float) -> None:
    gpu = versions.get("gpu") or ("CPU stand-ins" if cpu else "unknown GPU")
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"# FinLabel GPU check ({'CPU stand-ins, --cpu' if cpu else gpu}), {when}, {seconds:.0f} s", ""]
    if versions:
        pins = versions.get("pins", {})
        lines += ["| package | found | pinned |", "|---|---|---|"]
        for name in ("python",) + PACKAGES:
            lines.append(f"| {name} | {versions.get(name, '')} | {pins.get(name, '')} |")
        for key in ("torch.version.cuda", "cudnn", "nccl", "gpu", "gpu_memory_gib", "gpu_capability", "gpu_count", "nvidia_smi"):
            if key in versions:
                lines.append(f"| {key} | {versions[key]} | |")
        lines.append("")
    lines += ["| step | status | seconds (limit) | detail |", "|---|---|---|---|"]
    for r in records:
        detail = json.dumps(r.get("detail"), ensure_ascii=False, default=str).replace("|", "\\|")
        lines.append(f"| {r['step']} | {r['status']} | {r.get('seconds', 0)} ({r.get('limitSeconds', '')}) | {detail[:1500]} |")
    table = out / "gpu_training.md"
    if table.is_file() and table.read_text(encoding="utf-8").strip():
        lines += ["", "## bench/gpu_training.py", "", table.read_text(encoding="utf-8").strip()]
    (out / "summary.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (out / "summary.json").write_text(
        json.dumps({"cpu": cpu, "seconds": round(seconds, 1), "versions": versions, "steps": records}, indent=2, default=str), encoding="utf-8"
    )


if __name__ == "__main__":
    sys.exit(main())
