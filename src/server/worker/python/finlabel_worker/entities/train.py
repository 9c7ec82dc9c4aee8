"""train/entities: fine-tune a token classifier on the server's token ids and BIO label ids.

Read top to bottom like Hugging Face's run_ner.py: build the model, then for each epoch train on
length-bucketed, dynamically padded batches, predict the dev set, let the server score it
(`evaluate/entities`: the server owns the entity F1), keep the best epoch's weights, stop early
after `patience` epochs without improvement; finally save (and export) into a staged folder that
is renamed into place only when everything is written.

The same loop runs in each process of a DistributedDataParallel run (ddp_main.py): every process
builds the same global batches and trains on its share of each (see `_my_share`).
"""

import math
import random
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from ..artifacts import staged_model_folder, write_json, write_text_files
from ..errors import invalid
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
    out_of_time,
    pad_batch,
    pad_token_id,
    peak_memory,
    seed_everything,
    select_device,
    should_stop,
    torch_threads,
    versions,
)
from .bilstm import crf_of, reads_word_boundaries
from .crf import CRF_FILE, Crf
from .export import export_onnx
from .model import build_model, max_positions
from .params import IGNORE_LABEL, EntityTrainJob, Example, parse_train_params
from .predict import model_inputs, predict_label_ids


class Group:
    """The processes training together: one (the default) or a torch.distributed group."""

    rank = 0
    world = 1

    def all_reduce_sum(self, value: float) -> float:
        return value

    def broadcast(self, value: Any) -> Any:
        """Rank 0's value, on every rank."""
        return value

    def wrap(self, model: Any) -> Any:
        return model


def train_entities(params: Any, ctx: JobContext) -> Dict[str, Any]:
    """EntityTrainParams -> TrainResult."""
    job = parse_train_params(params)
    if job.hyper.processes > 1:
        if job.hyper.max_seconds or job.hyper.threads:
            raise invalid("hyper.maxSeconds and hyper.threads apply to one process; set hyper.processes to 1")
        from .ddp import train_distributed  # only when asked: it starts torchrun

        return train_distributed(params, job, ctx)
    started = time.monotonic()
    device = select_device(job.hyper.device)
    ctx.progress("load", epochs=job.hyper.epochs, message="building the model")
    with torch_threads(job.hyper.threads), staged_model_folder(job.output_dir) as staging:
        seed_everything(job.hyper.seed)
        model = build_model(job.base, job.labels)
        check_data_fits(job, model.config)
        outcome = fit(model, job, device, ctx, Group())
        result = save_model(model, job, staging, outcome, device, started, ctx)
    return result


def check_data_fits(job: EntityTrainJob, config: Any) -> None:
    for examples, where in ((job.train, "train"), (job.dev, "dev")):
        check_token_ids(((f"{where}[{i}].inputIds", e.input_ids) for i, e in enumerate(examples)), config.vocab_size, max_positions(config))
    given = job.train[0].word_boundary_ids is not None
    if reads_word_boundaries(config) and not given:
        raise invalid("the model reads where words begin and end (word_boundaries in its config), but the examples have no wordBoundaryIds")
    if given and not reads_word_boundaries(config):
        raise invalid("the examples have wordBoundaryIds, but the model does not read them (a BiLSTM built with wordBoundaries does)")


def _boundaries(examples: List[Example]) -> Optional[List[List[int]]]:
    """The examples' word_boundary_ids, or None when they have none (parse_train_params: all or none)."""
    return None if not examples or examples[0].word_boundary_ids is None else [e.word_boundary_ids or [] for e in examples]


def fit(model: Any, job: EntityTrainJob, device: Any, ctx: JobContext, group: Group) -> FitOutcome:
    """Train; on return `model` holds the best epoch's weights (the last epoch's without dev data)."""
    torch = require("torch")
    hyper = job.hyper
    model.to(device)
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats(device)
    network = group.wrap(model)
    optimizer = make_optimizer(list(model.parameters()), hyper, device)
    steps_per_epoch = math.ceil(len(job.train) / hyper.batch_size)
    schedule = make_schedule(optimizer, steps_per_epoch * hyper.epochs, hyper.warmup_ratio)
    rng = random.Random(hyper.seed)
    lengths = [len(e.input_ids) for e in job.train]
    pad = pad_token_id(model.config)
    crf = crf_of(model)
    outcome = FitOutcome()
    # With selectionWindow > 1 an epoch is judged by the mean over the last evaluations (BestCheckpoint).
    best = BestCheckpoint(hyper.selection_window)
    samples_done = 0
    steps_done = 0

    with out_of_memory_as_error(hyper.batch_size):
        for epoch in range(1, hyper.epochs + 1):
            if out_of_time(hyper, outcome.train_seconds):
                break
            epoch_started = time.monotonic()
            network.train()
            loss_sum = 0.0
            batches = bucketed_batches(lengths, hyper.batch_size, rng)
            for step, batch in enumerate(batches, start=1):
                ctx.check_cancelled()
                examples, weight = _my_share(batch, job.train, group)
                global_tokens = max(sum(t != IGNORE_LABEL for i in batch for t in job.train[i].label_ids), 1)
                inputs = model_inputs(model, [e.input_ids for e in examples], _boundaries(examples), pad, device)
                attention_mask = inputs["attention_mask"]
                labels = pad_batch([e.label_ids for e in examples], IGNORE_LABEL, device)
                with autocast(device, hyper.bf16):
                    logits = network(**inputs).logits
                    injected_fault(steps_done + 1, hyper.batch_size)  # a test hook (FINLABEL_WORKER_FAULT); nothing otherwise
                # Summed over this process's tokens, divided by the tokens of the whole global batch:
                # the processes' parts add up to the single-process mean loss. DDP averages gradients
                # over processes, hence the factor `world` on the part that is back-propagated.
                part = summed_loss(crf, logits, attention_mask, labels) * (weight / global_tokens)
                (part * group.world).backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), MAX_GRAD_NORM)
                optimizer.step()
                schedule.step()
                optimizer.zero_grad(set_to_none=True)
                steps_done += 1

                part_value = float(part.detach())
                loss_sum += part_value
                samples_done += len(batch)
                elapsed = time.monotonic() - epoch_started
                ctx.progress(
                    "train",
                    epoch=epoch,
                    epochs=hyper.epochs,
                    step=step,
                    steps=len(batches),
                    # This process's part, scaled: the exact mean over all processes is the epoch's trainLoss.
                    loss=part_value * group.world,
                    learningRate=schedule.get_last_lr()[0],
                    samplesPerSecond=samples_done / max(outcome.train_seconds + elapsed, 1e-9),
                    # the mean step time so far, over every step the run still plans
                    etaSeconds=(outcome.train_seconds + elapsed) / steps_done * (len(batches) * hyper.epochs - steps_done),
                    gpuMemoryBytes=int(torch.cuda.memory_allocated(device)) if device.type == "cuda" else None,
                )
                # Out of time mid-epoch: this partial epoch is evaluated like a whole one, so its weights can win.
                if out_of_time(hyper, outcome.train_seconds + elapsed):
                    break
            train_seconds = time.monotonic() - epoch_started
            outcome.train_seconds += train_seconds
            train_loss = group.all_reduce_sum(loss_sum) / max(step, 1)

            metric = evaluate_dev(model, job, epoch, device, ctx, group) if job.dev else None
            outcome.epochs.append({"epoch": epoch, "trainLoss": train_loss, "devMetric": metric, "seconds": round(time.monotonic() - epoch_started, 3)})
            best.offer(epoch, metric, lambda: cpu_copy(model.state_dict()))
            if should_stop(hyper, best.without_gain, steps_done, best.metric):
                break

    best.restore(model.load_state_dict, outcome)
    outcome.samples_per_second = samples_done / max(outcome.train_seconds, 1e-9)
    return outcome


def summed_loss(crf: Optional[Crf], logits: Any, attention_mask: Any, labels: Any) -> Any:
    """The batch's loss summed over its rows: per token cross-entropy, or with a CRF each row's
    negative log-likelihood (on the scale of a sum over tokens, so the division by tokens keeps both
    per token)."""
    torch = require("torch")
    if crf is not None:
        return crf.negative_log_likelihood(logits, attention_mask, labels).sum()
    return torch.nn.functional.cross_entropy(logits.float().flatten(0, 1), labels.flatten(), ignore_index=IGNORE_LABEL, reduction="sum")


def _my_share(batch: List[int], train: List[Example], group: Group) -> Tuple[List[Example], float]:
    """This process's examples of a global batch, and the weight of its loss. A process left
    without an example (a last batch smaller than the group) runs one with weight 0, so every
    process still takes part in the gradient all-reduce."""
    mine = batch[group.rank :: group.world]
    if not mine:
        return [train[batch[0]]], 0.0
    return [train[i] for i in mine], 1.0


def evaluate_dev(model: Any, job: EntityTrainJob, epoch: int, device: Any, ctx: JobContext, group: Group) -> float:
    """Rank 0 predicts the dev set and asks the server for its metric; every rank gets the answer."""
    answer: Any = None
    if group.rank == 0:
        ctx.check_cancelled()
        ctx.progress("evaluate", epoch=epoch, epochs=job.hyper.epochs, message=f"predicting {len(job.dev)} dev examples")
        predictions, _ = predict_label_ids(model, [e.input_ids for e in job.dev], device, job.hyper.bf16, word_boundaries=_boundaries(job.dev))
        answer = ctx.call_server(ServerCallback.EVALUATE_ENTITIES, {"jobId": job.job_id, "epoch": epoch, "predictions": predictions})
    return dev_metric(ServerCallback.EVALUATE_ENTITIES, group.broadcast(answer))


def save_model(model: Any, job: EntityTrainJob, staging: Path, outcome: FitOutcome, device: Any, started: float, ctx: JobContext) -> Dict[str, Any]:
    """Weights, the server's files, the ONNX export and card.json into the staged folder; the
    TrainResult, with the paths the files will have once the folder is renamed."""
    ctx.check_cancelled()
    ctx.progress("save", epoch=outcome.best_epoch, epochs=job.hyper.epochs, message=f"saving epoch {outcome.best_epoch}")
    final = Path(job.output_dir)
    write_text_files(staging, job.output_files)
    model.save_pretrained(str(staging))  # safetensors (the only format transformers 5 writes)
    crf = crf_of(model)
    if crf is not None:  # the transition scores the server's decoder adds to the graph's logits
        bio = [model.config.id2label[i] for i in range(model.config.num_labels)]
        write_json(staging / CRF_FILE, crf.to_json(bio))
    onnx = export_onnx(model, staging, final, job.quantize, ctx) if job.export_onnx else None
    ctx.check_cancelled()
    result: Dict[str, Any] = {
        "modelDir": str(final),
        "epochs": outcome.epochs,
        "bestEpoch": outcome.best_epoch,
        "bestDevMetric": outcome.best_metric,
        "samplesPerSecond": outcome.samples_per_second,
        "seconds": round(time.monotonic() - started, 3),
        "device": str(device),
        "peakMemoryBytes": peak_memory(device),
    }
    if onnx is not None:
        result["onnx"] = onnx
    write_json(staging / "card.json", {**job.output_card, "training": training_card(job, result)})
    return result


def training_card(job: EntityTrainJob, result: Dict[str, Any]) -> Dict[str, Any]:
    return {
        "task": "entities",
        "base": job.base,
        "labels": job.labels,
        "trainExamples": len(job.train),
        "devExamples": len(job.dev),
        "hyperparameters": {**hyper_json(job.hyper), "maxGradNorm": MAX_GRAD_NORM},
        **{k: v for k, v in result.items() if k != "modelDir"},
        "versions": versions(),
    }
