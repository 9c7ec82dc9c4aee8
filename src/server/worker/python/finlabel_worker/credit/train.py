"""`train/credit`: LoRA on a Qwen base, supervised only on the answer token (see loss.py).

Read top to bottom like entities/train.py: parse the job, build the model (the base, checked
against the job's token ids, wrapped in LoRA), then for each epoch train on length-bucketed, right-
padded batches, score the dev prompts and let the server compute the metric (`evaluate/credit`: the
server owns the metrics), keep the best epoch's adapter, stop early after `patience` epochs without
improvement; finally save into a staged folder that is renamed into place only when everything is
written.
"""

import random
import time
from typing import Any, Dict, List, Optional, Tuple

from ..artifacts import staged_model_folder
from ..device import cpu_name
from ..imports import require
from ..job import JobContext
from ..param_checks import check_token_ids
from ..protocol import ServerCallback
from ..train_common import (
    MAX_GRAD_NORM,
    BestCheckpoint,
    FitOutcome,
    autocast,
    bucketed_batches,
    cpu_copy,
    dev_metric,
    hyper_json,
    injected_fault,
    make_optimizer,
    make_schedule,
    out_of_memory_as_error,
    pad_token_id,
    peak_memory,
    seed_everything,
    select_device,
    should_stop,
    uses_bf16,
    versions,
)
from .layout import TINY_BASE_FOLDER
from .loss import batch_tensors, label_logits, label_loss
from .model import attach_lora, embedding_rows, load_base, parameter_counts
from .params import CreditTrainJob, parse_train_params
from .save import tiny_base_state, write_model_folder
from .score import SCORE_BATCH, predict_probabilities

PROGRESS_SECONDS = 1.0


def train_credit(params: Any, ctx: JobContext) -> Dict[str, Any]:
    """CreditTrainParams -> TrainResult."""
    started = time.perf_counter()
    for package in ("torch", "peft"):  # a missing one is named at once, not after the base has loaded
        require(package)
    job = parse_train_params(params)
    device = select_device(job.hyper.device)
    bf16 = uses_bf16(device, job.hyper.bf16)  # CUDA; the CPU only under the test switch FINLABEL_WORKER_CPU_AS_CUDA
    seed_everything(job.hyper.seed)
    if device.type == "cuda":
        require("torch").cuda.reset_peak_memory_stats(device)
    ctx.progress("load", epochs=job.hyper.epochs, message=f"loading the base model ({job.base.path or 'tiny Qwen2'})")
    model, tiny_base = build_model(job, device, bf16, ctx)
    outcome = fit(model, job, device, bf16, ctx)
    return save_model(model, job, tiny_base, outcome, device, started, ctx)


def build_model(job: CreditTrainJob, device: Any, bf16: bool, ctx: JobContext) -> Tuple[Any, Optional[Dict[str, Any]]]:
    """The base on `device`, checked against the job's token ids, in its LoRA wrapper; for a tiny
    base also a copy of its random weights, which travel with the adapter."""
    torch = require("torch")
    base = load_base(job.base, device, torch.bfloat16 if bf16 else torch.float32, job.memory.four_bit, job.hyper.seed)
    ctx.check_cancelled()  # loading a 7B base takes a while
    check_data_fits(job, base)
    tiny_base = tiny_base_state(base) if job.base.kind == "tiny" else None
    return attach_lora(base, job.lora, job.memory.gradient_checkpointing), tiny_base


def check_data_fits(job: CreditTrainJob, base: Any) -> None:
    vocab, positions = embedding_rows(base), getattr(base.config, "max_position_embeddings", None)
    check_token_ids([("labelTokenIds", job.label_token_ids)], vocab, None)
    for examples, where in ((job.train, "train"), (job.dev, "dev")):
        check_token_ids(((f"{where}[{i}].inputIds", ids) for i, ids in enumerate(examples.input_ids)), vocab, positions)


def fit(model: Any, job: CreditTrainJob, device: Any, bf16: bool, ctx: JobContext) -> FitOutcome:
    """Train the adapter; on return `model` holds the best epoch's adapter (the last epoch's without dev data)."""
    torch = require("torch")
    peft = require("peft")
    hyper = job.hyper
    optimizer = make_optimizer(list(model.parameters()), hyper, device)
    lengths = [len(s) for s in job.train.input_ids]
    rng = random.Random(hyper.seed)
    steps_per_epoch = len(bucketed_batches(lengths, hyper.batch_size, random.Random(0), shuffle=False))
    total_steps = steps_per_epoch * hyper.epochs
    schedule = make_schedule(optimizer, total_steps, hyper.warmup_ratio)
    trainable = [p for p in model.parameters() if p.requires_grad]
    base = model.get_base_model()
    pad_id = pad_token_id(base.config, embedding_rows(base))
    label_tensor = torch.tensor(job.label_token_ids, dtype=torch.long, device=device)
    outcome = FitOutcome()
    # Each epoch judged by its own dev figure (no selection window).
    best = BestCheckpoint()
    samples_done, tokens_done, steps_done = 0, 0, 0

    for epoch in range(1, hyper.epochs + 1):
        model.train()
        epoch_started = time.perf_counter()
        loss_sum = torch.zeros((), device=device)
        batches = bucketed_batches(lengths, hyper.batch_size, rng)
        last_report = 0.0
        for step, indices in enumerate(batches, start=1):
            ctx.check_cancelled()
            with out_of_memory_as_error(hyper.batch_size):
                ids, lens = batch_tensors([job.train.input_ids[i] for i in indices], pad_id, device)
                targets = torch.tensor([job.train.labels[i] for i in indices], dtype=torch.long, device=device)
                injected_fault(steps_done + 1, hyper.batch_size)  # a test hook (FINLABEL_WORKER_FAULT); nothing otherwise
                loss_sum += train_step(model, optimizer, schedule, trainable, ids, lens, targets, label_tensor, bf16)
            steps_done += 1
            samples_done += len(indices)
            tokens_done += sum(lengths[i] for i in indices)
            now = time.perf_counter()
            if now - last_report >= PROGRESS_SECONDS or step == len(batches):
                last_report = now
                elapsed = outcome.train_seconds + (now - epoch_started)
                ctx.progress(
                    "train",
                    epoch=epoch,
                    epochs=hyper.epochs,
                    step=step,
                    steps=len(batches),
                    loss=loss_sum.item() / step,  # the only host sync, once a second
                    learningRate=schedule.get_last_lr()[0],
                    samplesPerSecond=samples_done / elapsed if elapsed > 0 else None,
                    etaSeconds=(total_steps - steps_done) * elapsed / steps_done,
                    gpuMemoryBytes=peak_memory(device),
                )
        train_loss = loss_sum.item() / len(batches)
        outcome.train_seconds += time.perf_counter() - epoch_started

        metric = None
        if len(job.dev) > 0:
            ctx.check_cancelled()
            ctx.progress("evaluate", epoch=epoch, epochs=hyper.epochs, step=len(batches), steps=len(batches), loss=train_loss, message="scoring the dev set")
            metric, name = evaluate_dev(model, job, epoch, device, bf16, ctx)
            outcome.dev_metric_name = name or outcome.dev_metric_name
        outcome.epochs.append({"epoch": epoch, "trainLoss": train_loss, "devMetric": metric, "seconds": time.perf_counter() - epoch_started})
        best.offer(epoch, metric, lambda: lora_state(model))
        if should_stop(hyper, best.without_gain, steps_done, best.metric):
            break

    best.restore(lambda state: peft.set_peft_model_state_dict(model, state), outcome)
    if outcome.train_seconds > 0:
        outcome.samples_per_second = samples_done / outcome.train_seconds
        outcome.tokens_per_second = tokens_done / outcome.train_seconds
    return outcome


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


def evaluate_dev(model: Any, job: CreditTrainJob, epoch: int, device: Any, bf16: bool, ctx: JobContext) -> Tuple[float, Optional[str]]:
    """Scores the dev prompts and asks the server for their metric: (metric, its name)."""
    batch_size = max(job.hyper.batch_size, SCORE_BATCH)
    with out_of_memory_as_error(batch_size):
        probabilities = predict_probabilities(model, job.dev.input_ids, job.label_token_ids, device, bf16, batch_size=batch_size)
    answer = ctx.call_server(ServerCallback.EVALUATE_CREDIT, {"jobId": job.job_id, "epoch": epoch, "probabilities": probabilities})
    metric = dev_metric(ServerCallback.EVALUATE_CREDIT, answer)
    name = answer.get("name")
    return metric, name if isinstance(name, str) else None


def lora_state(peft_model: Any) -> Dict[str, Any]:
    """A CPU copy of the adapter's weights (the best epoch's, kept while training goes on)."""
    peft = require("peft")
    return cpu_copy(peft.get_peft_model_state_dict(peft_model))


def save_model(
    model: Any, job: CreditTrainJob, tiny_base: Optional[Dict[str, Any]], outcome: FitOutcome, device: Any, started: float, ctx: JobContext
) -> Dict[str, Any]:
    """The adapter, the server's files, card.json (and a tiny base's weights) into the staged
    folder, renamed to output.dir once all is written; the TrainResult."""
    ctx.check_cancelled()
    server_training = job.output.card.get("training")
    card = {
        **job.output.card,
        "base": {**job.base.to_json(), "savedAs": TINY_BASE_FOLDER} if tiny_base is not None else job.base.to_json(),
        "training": {**(server_training if isinstance(server_training, dict) else {}), **training_card(model, job, outcome, device, started)},
    }
    ctx.progress("save", epoch=len(outcome.epochs), epochs=job.hyper.epochs, message=f"writing {job.output.dir}")
    with staged_model_folder(job.output.dir) as folder:
        write_model_folder(folder, model, job.output.files, card, tiny_base)
        ctx.check_cancelled()  # a cancel that arrives while saving still leaves no folder behind
    return {
        "modelDir": job.output.dir,
        "epochs": outcome.epochs,
        "bestEpoch": outcome.best_epoch,
        "bestDevMetric": outcome.best_metric,
        "samplesPerSecond": outcome.samples_per_second,
        "seconds": time.perf_counter() - started,
        "device": device_name(device),
        "peakMemoryBytes": peak_memory(device),
    }


def training_card(model: Any, job: CreditTrainJob, outcome: FitOutcome, device: Any, started: float) -> Dict[str, Any]:
    return {
        "method": "LoRA; cross-entropy of the two label tokens at the last prompt position",
        "hyperparameters": {**hyper_json(job.hyper), "maxGradNorm": MAX_GRAD_NORM},
        "lora": job.lora.to_json(),
        "memory": {"gradientCheckpointing": job.memory.gradient_checkpointing, "fourBit": job.memory.four_bit},
        "labelTokenIds": list(job.label_token_ids),
        "trainExamples": len(job.train),
        "devExamples": len(job.dev),
        "epochs": outcome.epochs,
        "bestEpoch": outcome.best_epoch,
        "bestDevMetric": outcome.best_metric,
        "devMetricName": outcome.dev_metric_name,
        "stoppedEarly": len(outcome.epochs) < job.hyper.epochs,
        "samplesPerSecond": outcome.samples_per_second,
        "tokensPerSecond": outcome.tokens_per_second,
        "seconds": time.perf_counter() - started,
        "device": device_name(device),
        "peakMemoryBytes": peak_memory(device),
        **parameter_counts(model),
        "versions": versions(),
    }


def device_name(device: Any) -> str:
    torch = require("torch")
    return f"cuda ({torch.cuda.get_device_name(device)})" if device.type == "cuda" else f"cpu ({cpu_name()})"
