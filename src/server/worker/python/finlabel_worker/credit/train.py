"""`train/credit`: LoRA on a Qwen base, supervised only on the answer token (see loss.py)."""

import os
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional

from ..artifacts import staged_model_folder
from ..device import cpu_name
from ..errors import invalid
from ..imports import require
from ..job import JobContext
from ..param_checks import check_token_ids
from ..protocol import ServerCallback
from ..train_common import (
    Hyper,
    autocast,
    bucketed_batches,
    dev_metric,
    injected_fault,
    make_optimizer,
    make_schedule,
    out_of_memory_as_error,
    pad_token_id,
    parse_hyper,
    peak_memory,
    seed_everything,
    select_device,
    should_stop,
    uses_bf16,
    versions,
)
from .loss import batch_tensors, label_logits, label_loss
from .model import attach_lora, embedding_rows, load_base, parameter_counts, parse_base
from .params import (
    parse_examples,
    parse_job_id,
    parse_label_token_ids,
    parse_lora,
    parse_memory,
    require_dict,
)
from .save import ADAPTER_WEIGHTS, tiny_base_state, write_model_folder
from .score import TINY_BASE_FOLDER, predict_probabilities

# The seed's LoRA recipe (lr 2e-4, 3 epochs); batches of 16 prompts of ~100 tokens.
CREDIT_DEFAULTS = {"epochs": 3, "batchSize": 16, "learningRate": 2e-4}
RESERVED_FILES = ("adapter_config.json", ADAPTER_WEIGHTS, "card.json", TINY_BASE_FOLDER)
PROGRESS_SECONDS = 1.0
MAX_GRAD_NORM = 1.0


@dataclass(frozen=True)
class Output:
    dir: str
    files: Dict[str, str]
    card: Dict[str, Any]


def parse_output(value: Any) -> Output:
    raw = require_dict(value, "output")
    folder = raw.get("dir")
    if not isinstance(folder, str) or not folder:
        raise invalid("output.dir must be the path of the model folder to create")
    if Path(folder).exists():
        raise invalid(f"the model folder {folder} already exists; choose a new name or delete it first")
    files = raw.get("files") or {}
    if not isinstance(files, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
        raise invalid("output.files must map file names to text")
    for name in files:  # checked now, not after hours of training (write_text_files checks again)
        if not name or name != os.path.basename(name) or name in (".", ".."):
            raise invalid(f"output.files: {name!r} is not a plain file name")
    clash = [name for name in files if name in RESERVED_FILES]
    if clash:
        raise invalid(f"output.files: {clash[0]} is written by the trainer itself")
    card = raw.get("card") or {}
    if not isinstance(card, dict):
        raise invalid("output.card must be an object")
    return Output(folder, files, card)


def hyper_json(hyper: Hyper) -> Dict[str, Any]:
    """The hyperparameters under their TrainHyperparameters (protocol) names."""
    return {
        "epochs": hyper.epochs,
        "batchSize": hyper.batch_size,
        "learningRate": hyper.learning_rate,
        "weightDecay": hyper.weight_decay,
        "warmupRatio": hyper.warmup_ratio,
        "patience": hyper.patience,
        "minSteps": hyper.min_steps,
        "seed": hyper.seed,
        "device": hyper.device,
        "bf16": hyper.bf16,
        "processes": hyper.processes,
    }


def device_name(device: Any) -> str:
    torch = require("torch")
    return f"cuda ({torch.cuda.get_device_name(device)})" if device.type == "cuda" else f"cpu ({cpu_name()})"


def lora_state(peft_model: Any) -> Dict[str, Any]:
    """A CPU copy of the adapter's weights (the best epoch's, kept while training goes on)."""
    peft = require("peft")
    return {k: v.detach().to("cpu", copy=True) for k, v in peft.get_peft_model_state_dict(peft_model).items()}


def train_step(model: Any, optimizer: Any, schedule: Any, trainable: List[Any], ids: Any, lengths: Any, targets: Any, label_token_ids: Any, bf16: bool) -> Any:
    """One optimizer step on a right-padded batch; returns the loss as a device tensor (no host
    sync). bench/gpu_training.py times this same function."""
    torch = require("torch")
    with autocast(ids.device, bf16):
        logits = label_logits(model, ids, lengths, label_token_ids)
    loss = label_loss(logits, targets)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(trainable, MAX_GRAD_NORM)
    optimizer.step()
    schedule.step()
    optimizer.zero_grad(set_to_none=True)
    return loss.detach()


def train_credit(params: Any, ctx: JobContext) -> Dict[str, Any]:
    started = time.perf_counter()
    torch = require("torch")
    peft = require("peft")
    raw = require_dict(params, "params")
    job_id = parse_job_id(raw)
    base_spec = parse_base(raw.get("base"))
    label_ids = parse_label_token_ids(raw.get("labelTokenIds"))
    train = parse_examples(raw.get("train"), "train")
    dev = parse_examples(raw.get("dev") or [], "dev")
    if len(train) == 0:
        raise invalid("train is empty: the credit model needs labelled prompts")
    lora = parse_lora(raw.get("lora"))
    memory = parse_memory(raw.get("memory"))
    hyper = parse_hyper(raw.get("hyper"), CREDIT_DEFAULTS)
    if hyper.max_seconds or hyper.threads:
        raise invalid("hyper.maxSeconds and hyper.threads are settings of the entity trainer (background retraining), not of the credit model")
    output = parse_output(raw.get("output"))

    device = select_device(hyper.device)
    bf16 = uses_bf16(device, hyper.bf16)  # CUDA; the CPU only under the test switch FINLABEL_WORKER_CPU_AS_CUDA
    seed_everything(hyper.seed)
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats(device)
    ctx.progress("load", epochs=hyper.epochs, message=f"loading the base model ({base_spec.path or 'tiny Qwen2'})")
    base = load_base(base_spec, device, torch.bfloat16 if bf16 else torch.float32, memory.four_bit, hyper.seed)
    ctx.check_cancelled()  # loading a 7B base takes a while
    vocab = embedding_rows(base)
    max_positions = getattr(base.config, "max_position_embeddings", None)
    check_token_ids([("labelTokenIds", label_ids)], vocab, None)
    for examples, where in ((train, "train"), (dev, "dev")):
        check_token_ids(((f"{where}[{i}].inputIds", ids) for i, ids in enumerate(examples.input_ids)), vocab, max_positions)
    tiny_base = tiny_base_state(base) if base_spec.kind == "tiny" else None
    model = attach_lora(base, lora, memory.gradient_checkpointing)
    counts = parameter_counts(model)
    pad_id = pad_token_id(base.config, vocab)
    label_tensor = torch.tensor(label_ids, dtype=torch.long, device=device)

    optimizer = make_optimizer(list(model.parameters()), hyper, device)
    lengths = [len(s) for s in train.input_ids]
    rng = random.Random(hyper.seed)
    steps_per_epoch = len(bucketed_batches(lengths, hyper.batch_size, random.Random(0), shuffle=False))
    total_steps = steps_per_epoch * hyper.epochs
    schedule = make_schedule(optimizer, total_steps, hyper.warmup_ratio)
    trainable = [p for p in model.parameters() if p.requires_grad]

    epochs: List[Dict[str, Any]] = []
    best_epoch, best_metric, best_state = 0, None, None
    metric_name: Optional[str] = None
    epochs_without_gain = 0
    train_seconds, train_samples, train_tokens, steps_done = 0.0, 0, 0, 0
    for epoch in range(1, hyper.epochs + 1):
        model.train()
        epoch_started = time.perf_counter()
        loss_sum = torch.zeros((), device=device)
        batches = bucketed_batches(lengths, hyper.batch_size, rng)
        last_report = 0.0
        for step, indices in enumerate(batches, start=1):
            ctx.check_cancelled()
            with out_of_memory_as_error(hyper.batch_size):
                ids, lens = batch_tensors([train.input_ids[i] for i in indices], pad_id, device)
                targets = torch.tensor([train.labels[i] for i in indices], dtype=torch.long, device=device)
                injected_fault(steps_done + 1, hyper.batch_size)  # a test hook (FINLABEL_WORKER_FAULT); nothing otherwise
                loss_sum += train_step(model, optimizer, schedule, trainable, ids, lens, targets, label_tensor, bf16)
            steps_done += 1
            train_samples += len(indices)
            train_tokens += sum(lengths[i] for i in indices)
            now = time.perf_counter()
            if now - last_report >= PROGRESS_SECONDS or step == len(batches):
                last_report = now
                mean_loss = loss_sum.item() / step  # the only host sync, once a second
                elapsed = train_seconds + (now - epoch_started)
                rate = train_samples / elapsed if elapsed > 0 else None
                ctx.progress(
                    "train",
                    epoch=epoch,
                    epochs=hyper.epochs,
                    step=step,
                    steps=len(batches),
                    loss=mean_loss,
                    learningRate=schedule.get_last_lr()[0],
                    samplesPerSecond=rate,
                    etaSeconds=(total_steps - steps_done) * elapsed / steps_done,
                    gpuMemoryBytes=peak_memory(device),
                )
        train_loss = loss_sum.item() / len(batches)
        train_seconds += time.perf_counter() - epoch_started

        metric = None
        if len(dev) > 0:
            ctx.check_cancelled()
            ctx.progress("evaluate", epoch=epoch, epochs=hyper.epochs, step=len(batches), steps=len(batches), loss=train_loss, message="scoring the dev set")
            dev_batch = max(hyper.batch_size, 64)
            with out_of_memory_as_error(dev_batch):
                probabilities = predict_probabilities(model, dev.input_ids, label_ids, device, bf16, batch_size=dev_batch)
            evaluation = ctx.call_server(ServerCallback.EVALUATE_CREDIT, {"jobId": job_id, "epoch": epoch, "probabilities": probabilities})
            metric = dev_metric(ServerCallback.EVALUATE_CREDIT, evaluation)
            metric_name = evaluation.get("name", metric_name)
        epochs.append({"epoch": epoch, "trainLoss": train_loss, "devMetric": metric, "seconds": time.perf_counter() - epoch_started})

        if metric is None:
            best_epoch = epoch
        elif best_metric is None or metric > best_metric:
            best_epoch, best_metric, best_state = epoch, metric, lora_state(model)
            epochs_without_gain = 0
        else:
            epochs_without_gain += 1
        if should_stop(hyper, epochs_without_gain, steps_done, best_metric):
            break

    ctx.check_cancelled()
    if best_state is not None and best_epoch != len(epochs):
        peft.set_peft_model_state_dict(model, best_state)
    seconds = time.perf_counter() - started
    samples_per_second = train_samples / train_seconds if train_seconds > 0 else 0.0
    training = {
        "method": "LoRA; cross-entropy of the two label tokens at the last prompt position",
        "hyperparameters": hyper_json(hyper),
        "lora": lora.to_json(),
        "memory": {"gradientCheckpointing": memory.gradient_checkpointing, "fourBit": memory.four_bit},
        "labelTokenIds": list(label_ids),
        "trainExamples": len(train),
        "devExamples": len(dev),
        "epochs": epochs,
        "bestEpoch": best_epoch,
        "bestDevMetric": best_metric,
        "devMetricName": metric_name,
        "stoppedEarly": len(epochs) < hyper.epochs,
        "samplesPerSecond": samples_per_second,
        "tokensPerSecond": train_tokens / train_seconds if train_seconds > 0 else 0.0,
        "seconds": seconds,
        "device": device_name(device),
        "peakMemoryBytes": peak_memory(device),
        **counts,
        "versions": versions(),
    }
    server_training = output.card.get("training")
    card = {
        **output.card,
        "base": {**base_spec.to_json(), "savedAs": TINY_BASE_FOLDER} if tiny_base is not None else base_spec.to_json(),
        "training": {**(server_training if isinstance(server_training, dict) else {}), **training},
    }
    ctx.progress("save", epoch=len(epochs), epochs=hyper.epochs, message=f"writing {output.dir}")
    with staged_model_folder(output.dir) as folder:
        write_model_folder(folder, model, output.files, card, tiny_base)
        ctx.check_cancelled()  # a cancel that arrives while saving still leaves no folder behind
    return {
        "modelDir": output.dir,
        "epochs": epochs,
        "bestEpoch": best_epoch,
        "bestDevMetric": best_metric,
        "samplesPerSecond": samples_per_second,
        "seconds": time.perf_counter() - started,
        "device": device_name(device),
        "peakMemoryBytes": peak_memory(device),
    }
