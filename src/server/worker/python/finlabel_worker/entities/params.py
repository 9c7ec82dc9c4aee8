"""EntityTrainParams (workerProtocol.ts) read and checked, with messages that say where the problem is."""

from dataclasses import dataclass, replace
from typing import Any, Dict, List, Optional

from ..errors import invalid
from ..imports import require
from ..param_checks import is_int_list
from ..train_common import Hyper, parse_hyper
from .bilstm import WORD_BOUNDARY_TAGS

IGNORE_LABEL = -100

# Fine-tuning a pretrained BERT wants a small learning rate (the original blog post used 2e-5); tests training a
# tiny model from scratch pass a larger one.
ENTITY_DEFAULTS: Dict[str, Any] = {"learningRate": 5e-5, "batchSize": 32, "epochs": 5}


@dataclass(frozen=True)
class Example:
    input_ids: List[int]
    label_ids: List[int]
    # Where each token sits in a word, for a model that reads it (bilstm.py); None for the others.
    word_boundary_ids: Optional[List[int]] = None


@dataclass(frozen=True)
class EntityTrainJob:
    job_id: str
    base: Dict[str, Any]
    labels: List[str]
    train: List[Example]
    dev: List[Example]
    hyper: Hyper
    export_onnx: bool
    quantize: bool
    output_dir: str
    output_files: Dict[str, str]
    output_card: Dict[str, Any]


def parse_train_params(params: Any) -> EntityTrainJob:
    if not isinstance(params, dict):
        raise invalid("train/entities needs an EntityTrainParams object")
    labels = params.get("labels")
    if not isinstance(labels, list) or not labels or not all(isinstance(x, str) and x for x in labels):
        raise invalid('labels must be a non-empty list of tag names ("O" first)')
    if len(set(labels)) != len(labels):
        raise invalid(f"labels has duplicates: {sorted({x for x in labels if labels.count(x) > 1})}")
    base = params.get("base")
    if not isinstance(base, dict) or base.get("kind") not in ("folder", "tiny"):
        raise invalid("base must be {kind: 'folder', path} or {kind: 'tiny', vocabSize, ...}")
    train = parse_examples(params.get("train"), "train", len(labels))
    if not train:
        raise invalid("train has no examples")
    dev = parse_examples(params.get("dev", []), "dev", len(labels))
    with_boundaries = {e.word_boundary_ids is not None for e in train + dev}
    if len(with_boundaries) > 1:
        raise invalid("wordBoundaryIds must be given for every example or for none")
    export = params.get("export") or {}
    output = params.get("output")
    if not isinstance(export, dict):
        raise invalid("export must be {onnx: boolean, quantize: boolean}")
    if not isinstance(output, dict) or not isinstance(output.get("dir"), str) or not output["dir"]:
        raise invalid("output must be {dir: string, files: {name: text}, card: object}")
    files = output.get("files") or {}
    card = output.get("card") or {}
    if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
        raise invalid("output.files must map file names to text")
    if not isinstance(card, dict):
        raise invalid("output.card must be an object")
    return EntityTrainJob(
        job_id=str(params.get("jobId")),
        base=base,
        labels=labels,
        train=train,
        dev=dev,
        hyper=_with_every_gpu(parse_hyper(params.get("hyper"), ENTITY_DEFAULTS), params.get("hyper")),
        export_onnx=bool(export.get("onnx")),
        quantize=bool(export.get("quantize")),
        output_dir=output["dir"],
        output_files=files,
        output_card=card,
    )


def parse_examples(raw: Any, where: str, num_labels: int) -> List[Example]:
    if not isinstance(raw, list):
        raise invalid(f"{where} must be a list of {{inputIds, labelIds, wordBoundaryIds?}}")
    examples = []
    for i, item in enumerate(raw):
        ids = item.get("inputIds") if isinstance(item, dict) else None
        tags = item.get("labelIds") if isinstance(item, dict) else None
        if not is_int_list(ids) or not ids:
            raise invalid(f"{where}[{i}].inputIds must be a non-empty list of integers")
        if not is_int_list(tags) or len(tags) != len(ids):
            raise invalid(f"{where}[{i}].labelIds must be a list of {len(ids)} integers (one per token)")
        bad = next((t for t in tags if t != IGNORE_LABEL and not 0 <= t < num_labels), None)
        if bad is not None:
            raise invalid(f"{where}[{i}].labelIds has {bad}, which is not a label id (0..{num_labels - 1}) or -100")
        boundaries = item.get("wordBoundaryIds")
        if boundaries is not None:
            if not is_int_list(boundaries) or len(boundaries) != len(ids) or not all(0 <= b < WORD_BOUNDARY_TAGS for b in boundaries):
                raise invalid(f"{where}[{i}].wordBoundaryIds must be a list of {len(ids)} integers from 0 to {WORD_BOUNDARY_TAGS - 1} (one per token)")
            boundaries = list(boundaries)
        examples.append(Example(list(ids), list(tags), boundaries))
    return examples


def _with_every_gpu(hyper: Hyper, raw: Any) -> Hyper:
    """Without hyper.processes, a machine with several GPUs trains on all of them (DDP); one GPU
    or the CPU trains in this process."""
    if isinstance(raw, dict) and raw.get("processes") is not None:
        return hyper
    if hyper.device == "cpu":
        return hyper
    torch = require("torch")
    count = torch.cuda.device_count() if torch.cuda.is_available() else 0
    return replace(hyper, processes=count) if count > 1 else hyper
