"""CreditTrainParams and CreditScoreParams checked at the boundary, with messages that say
which field is wrong (e.g. `train[12].inputIds[3]`)."""

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from ..errors import invalid
from ..param_checks import is_int
from ..train_common import Hyper, parse_hyper
from .layout import TRAINER_NAMES

# The original blog post's LoRA recipe (lr 2e-4, 3 epochs); batches of 16 prompts of ~100 tokens.
CREDIT_DEFAULTS: Dict[str, Any] = {"epochs": 3, "batchSize": 16, "learningRate": 2e-4}
DEFAULT_TARGET_MODULES = ("q_proj", "k_proj", "v_proj", "o_proj")
KNOWN_TARGET_MODULES = DEFAULT_TARGET_MODULES + ("gate_proj", "up_proj", "down_proj")
TINY_DEFAULTS = {"hiddenSize": 64, "layers": 2, "heads": 4, "intermediateSize": 128, "maxPositions": 512}
TINY_KEYS = ("vocabSize",) + tuple(TINY_DEFAULTS)


@dataclass(frozen=True)
class LoraSettings:
    r: int
    alpha: float
    dropout: float
    target_modules: Tuple[str, ...]

    def to_json(self) -> Dict[str, Any]:
        return {"r": self.r, "alpha": self.alpha, "dropout": self.dropout, "targetModules": list(self.target_modules)}


@dataclass(frozen=True)
class MemorySettings:
    gradient_checkpointing: bool
    four_bit: bool


@dataclass(frozen=True)
class CreditExamples:
    input_ids: List[List[int]]
    labels: List[int]

    def __len__(self) -> int:
        return len(self.labels)


@dataclass(frozen=True)
class BaseSpec:
    """BaseModel of the protocol: a folder path, or the shape of a tiny random Qwen2."""

    kind: str
    path: Optional[str] = None
    tiny: Optional[Dict[str, int]] = None

    def to_json(self) -> Dict[str, Any]:
        if self.kind == "folder":
            return {"kind": "folder", "path": self.path}
        return {"kind": "tiny", **(self.tiny or {})}


@dataclass(frozen=True)
class Output:
    dir: str
    files: Dict[str, str]
    card: Dict[str, Any]


@dataclass(frozen=True)
class CreditTrainJob:
    job_id: str
    base: BaseSpec
    label_token_ids: Tuple[int, int]
    train: CreditExamples
    dev: CreditExamples
    lora: LoraSettings
    memory: MemorySettings
    hyper: Hyper
    output: Output


def parse_train_params(params: Any) -> CreditTrainJob:
    """CreditTrainParams, every field checked before anything loads."""
    raw = require_dict(params, "params")
    job_id = parse_job_id(raw)
    base = parse_base(raw.get("base"))
    label_token_ids = parse_label_token_ids(raw.get("labelTokenIds"))
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
    return CreditTrainJob(job_id, base, label_token_ids, train, dev, lora, memory, hyper, output)


def require_dict(value: Any, where: str) -> Dict[str, Any]:
    if not isinstance(value, dict):
        raise invalid(f"{where} must be an object")
    return value


def parse_job_id(params: Dict[str, Any]) -> str:
    job_id = params.get("jobId")
    if not isinstance(job_id, str) or not job_id:
        raise invalid("jobId must be a non-empty string")
    return job_id


def parse_label_token_ids(value: Any) -> Tuple[int, int]:
    if not isinstance(value, list) or len(value) != 2 or not all(is_int(v) and v >= 0 for v in value):
        raise invalid(f"labelTokenIds must be two token ids [id of '0', id of '1'], got {value!r}")
    if value[0] == value[1]:
        raise invalid(f"labelTokenIds must be two different tokens, got {value!r}")
    return int(value[0]), int(value[1])


def parse_sequences(value: Any, where: str) -> List[List[int]]:
    """A list of non-empty token-id lists (the score batch, or the inputIds of examples)."""
    if not isinstance(value, list):
        raise invalid(f"{where} must be a list of token-id lists")
    out: List[List[int]] = []
    for i, seq in enumerate(value):
        if not isinstance(seq, list) or not seq:
            raise invalid(f"{where}[{i}] must be a non-empty list of token ids")
        for j, tok in enumerate(seq):
            if not is_int(tok) or tok < 0:
                raise invalid(f"{where}[{i}][{j}] = {tok!r} is not a token id")
        out.append(seq)
    return out


def parse_examples(value: Any, where: str) -> CreditExamples:
    if not isinstance(value, list):
        raise invalid(f"{where} must be a list of {{inputIds, label}}")
    ids: List[List[int]] = []
    labels: List[int] = []
    for i, example in enumerate(value):
        example = require_dict(example, f"{where}[{i}]")
        label = example.get("label")
        if label not in (0, 1) or isinstance(label, bool):
            raise invalid(f"{where}[{i}].label must be 0 or 1, got {label!r}")
        ids.extend(parse_sequences([example.get("inputIds")], f"{where}[{i}].inputIds"))
        labels.append(int(label))
    return CreditExamples(ids, labels)


def parse_lora(value: Any) -> LoraSettings:
    raw = require_dict(value if value is not None else {}, "lora")
    unknown = set(raw) - {"r", "alpha", "dropout", "targetModules"}
    if unknown:
        raise invalid(f"lora.{sorted(unknown)[0]} is not a setting (known: alpha, dropout, r, targetModules)")
    r = raw.get("r", 8) if raw.get("r") is not None else 8
    alpha = raw.get("alpha", 32) if raw.get("alpha") is not None else 32
    dropout = raw.get("dropout", 0.05) if raw.get("dropout") is not None else 0.05
    targets = raw.get("targetModules") or list(DEFAULT_TARGET_MODULES)
    if not is_int(r) or r < 1:
        raise invalid(f"lora.r must be an integer >= 1, got {r!r}")
    if not isinstance(alpha, (int, float)) or isinstance(alpha, bool) or alpha <= 0:
        raise invalid(f"lora.alpha must be a positive number, got {alpha!r}")
    if not isinstance(dropout, (int, float)) or isinstance(dropout, bool) or not 0 <= dropout < 1:
        raise invalid(f"lora.dropout must be a number in [0, 1), got {dropout!r}")
    if not isinstance(targets, list) or not all(isinstance(t, str) for t in targets):
        raise invalid("lora.targetModules must be a list of module names")
    bad = [t for t in targets if t not in KNOWN_TARGET_MODULES]
    if bad:
        raise invalid(
            f"lora.targetModules: {bad[0]!r} is not a Qwen projection (known: {', '.join(KNOWN_TARGET_MODULES)}); the output head (lm_head) is never trained"
        )
    return LoraSettings(int(r), float(alpha), float(dropout), tuple(dict.fromkeys(targets)))


def parse_memory(value: Any) -> MemorySettings:
    raw = require_dict(value if value is not None else {}, "memory")
    unknown = set(raw) - {"gradientCheckpointing", "fourBit"}
    if unknown:
        raise invalid(f"memory.{sorted(unknown)[0]} is not a setting (known: fourBit, gradientCheckpointing)")
    return MemorySettings(bool(raw.get("gradientCheckpointing") or False), bool(raw.get("fourBit") or False))


def parse_base(value: Any, where: str = "base") -> BaseSpec:
    raw = require_dict(value, where)
    kind = raw.get("kind")
    if kind == "folder":
        path = raw.get("path")
        if not isinstance(path, str) or not path:
            raise invalid(f"{where}.path must be the path of a local model folder")
        return BaseSpec("folder", path=path)
    if kind == "tiny":
        unknown = set(raw) - set(TINY_KEYS) - {"kind"}
        if unknown:
            raise invalid(f"{where}.{sorted(unknown)[0]} is not a tiny-model setting (known: {', '.join(TINY_KEYS)})")
        shape = {**TINY_DEFAULTS, **{k: v for k, v in raw.items() if k != "kind" and v is not None}}
        for key in TINY_KEYS:
            if not is_int(shape.get(key)) or shape[key] < 1:
                raise invalid(f"{where}.{key} must be an integer >= 1, got {shape.get(key)!r}")
        if shape["hiddenSize"] % shape["heads"] != 0:
            raise invalid(f"{where}.hiddenSize ({shape['hiddenSize']}) must be a multiple of {where}.heads ({shape['heads']})")
        return BaseSpec("tiny", tiny=shape)
    raise invalid(f"{where}.kind must be 'folder' or 'tiny', got {kind!r}")


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
    clash = [name for name in files if name in TRAINER_NAMES]
    if clash:
        raise invalid(f"output.files: {clash[0]} is written by the trainer itself")
    card = raw.get("card") or {}
    if not isinstance(card, dict):
        raise invalid("output.card must be an object")
    return Output(folder, files, card)
