"""`score/credit`: P(违约) per prompt from one forward pass, reading the two label-token logits at
the last position (no generate()). The loaded base + adapter is cached between calls."""

import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

from ..errors import RpcError, invalid
from ..imports import require
from ..param_checks import check_token_ids
from ..protocol import ErrorCode
from ..train_common import autocast, pad_token_id, select_device, uses_bf16
from .layout import ADAPTER_CONFIG, ADAPTER_WEIGHTS, CARD, TINY_BASE_FOLDER
from .loss import batch_tensors, label_logits
from .model import embedding_rows, load_base
from .params import BaseSpec, parse_base, parse_sequences, require_dict

SCORE_BATCH = 64


def predict_probabilities(
    peft_model: Any, sequences: Sequence[Sequence[int]], label_token_ids: Sequence[int], device: Any, bf16: bool, batch_size: int = SCORE_BATCH
) -> List[float]:
    """P(label 1) per sequence, in the given order; batches of similar length to pad little."""
    torch = require("torch")
    was_training = peft_model.training
    peft_model.eval()
    labels = torch.tensor(list(label_token_ids), dtype=torch.long, device=device)
    base = peft_model.get_base_model()
    pad_id = pad_token_id(base.config, embedding_rows(base))
    order = sorted(range(len(sequences)), key=lambda i: len(sequences[i]))
    out = [0.0] * len(sequences)
    try:
        with torch.inference_mode():
            for start in range(0, len(order), batch_size):
                chosen = order[start : start + batch_size]
                ids, lengths = batch_tensors([sequences[i] for i in chosen], pad_id, device)
                with autocast(device, bf16):
                    logits = label_logits(peft_model, ids, lengths, labels)
                probabilities = torch.softmax(logits, dim=-1)[:, 1].tolist()
                for i, p in zip(chosen, probabilities):
                    out[i] = float(p)
    finally:
        peft_model.train(was_training)
    return out


@dataclass
class LoadedCreditModel:
    key: Tuple[Any, ...]
    model: Any
    label_token_ids: Tuple[int, int]
    device: Any
    vocab_size: int
    max_positions: Optional[int]


_lock = threading.Lock()
# One model at a time: a 7B base fills most of a GPU.
_cached: Optional[LoadedCreditModel] = None


def score_credit(params: Any) -> Dict[str, Any]:
    raw = require_dict(params, "params")
    model_dir = raw.get("modelDir")
    if not isinstance(model_dir, str) or not model_dir:
        raise invalid("modelDir must be the path of a trained credit model folder")
    batch = parse_sequences(raw.get("batch"), "batch")
    fallback_base = parse_base(raw["base"]) if raw.get("base") is not None else None
    with _lock:
        loaded = load_credit_model(Path(model_dir), fallback_base)
        check_token_ids(((f"batch[{i}]", sequence) for i, sequence in enumerate(batch)), loaded.vocab_size, loaded.max_positions)
        probabilities = predict_probabilities(loaded.model, batch, loaded.label_token_ids, loaded.device, bf16=True)
    return {"probabilities": probabilities}


def load_credit_model(folder: Path, fallback_base: Optional[BaseSpec]) -> LoadedCreditModel:
    """Base + adapter of a model folder, from the cache when the folder has not changed."""
    global _cached
    missing = [name for name in (ADAPTER_CONFIG, ADAPTER_WEIGHTS, CARD) if not (folder / name).is_file()]
    if missing:
        raise invalid(f"{folder} is not a credit model folder: it lacks {', '.join(missing)}")
    card = read_card(folder)
    training = card.get("training") if isinstance(card.get("training"), dict) else {}
    label_ids = training.get("labelTokenIds")
    if not (isinstance(label_ids, list) and len(label_ids) == 2):
        raise invalid(f"{folder / CARD} has no training.labelTokenIds: was the folder written by FinLabel's credit trainer?")
    base = base_of(folder, card, fallback_base)
    four_bit = bool((training.get("memory") or {}).get("fourBit"))
    adapter = folder / ADAPTER_WEIGHTS
    key = (str(folder.resolve()), adapter.stat().st_mtime_ns, json.dumps(base.to_json(), sort_keys=True), four_bit)
    if _cached is not None and _cached.key == key:
        return _cached
    _cached = None  # release the previous model before loading the next
    torch = require("torch")
    peft = require("peft")
    device = select_device("auto")
    dtype = torch.bfloat16 if uses_bf16(device, True) else torch.float32
    base_model = load_base(base, device, dtype, four_bit, seed=0)
    try:
        model = peft.PeftModel.from_pretrained(base_model, str(folder), is_trainable=False)
    except (OSError, ValueError, RuntimeError, KeyError) as e:
        raise RpcError(ErrorCode.INTERNAL, f"the adapter in {folder} does not fit its base model: {e}") from e
    model.eval()
    config = model.get_base_model().config
    _cached = LoadedCreditModel(
        key, model, (int(label_ids[0]), int(label_ids[1])), device, embedding_rows(model.get_base_model()), getattr(config, "max_position_embeddings", None)
    )
    return _cached


def read_card(folder: Path) -> Dict[str, Any]:
    try:
        card = json.loads((folder / CARD).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise invalid(f"{folder / CARD} is not readable JSON ({e})") from e
    if not isinstance(card, dict):
        raise invalid(f"{folder / CARD} must hold a JSON object")
    return card


def base_of(folder: Path, card: Dict[str, Any], fallback: Optional[BaseSpec]) -> BaseSpec:
    """The card's base reference, a relative path resolved against the model folder; a tiny base is
    the copy saved inside the folder. `fallback` (CreditScoreParams.base) only when the card names none."""
    recorded = card.get("base")
    if isinstance(recorded, dict) and recorded.get("kind") == "tiny":
        return BaseSpec("folder", path=str(folder / TINY_BASE_FOLDER))
    if isinstance(recorded, dict) and recorded.get("kind") == "folder":
        spec = parse_base(recorded, "card.json base")
        # A relative path in the card is the model folder's (the folder travels with its base),
        # never the worker's working directory.
        return BaseSpec("folder", path=str(folder / (spec.path or "")))
    if fallback is None:
        raise invalid(f"{folder / CARD} does not say which base model the adapter belongs to; pass base")
    if fallback.kind == "tiny":
        raise invalid("base: a tiny base has random weights; score with the model folder's saved base instead")
    return fallback
