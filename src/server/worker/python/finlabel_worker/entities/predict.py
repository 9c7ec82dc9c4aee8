"""Per-token predictions: the most likely label id and its probability."""

import random
import threading
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

from ..errors import invalid
from ..imports import require
from ..param_checks import check_token_ids, is_int_list
from ..train_common import autocast, bucketed_batches, pad_batch, pad_token_id, select_device
from .bilstm import WORD_BOUNDARY_TAGS, crf_of, reads_word_boundaries
from .model import load_saved, max_positions

PREDICT_BATCH = 64


def model_inputs(model: Any, sequences: Sequence[Sequence[int]], word_boundaries: Optional[Sequence[Sequence[int]]], pad: int, device: Any) -> Dict[str, Any]:
    """The keyword inputs of one padded batch: input_ids and attention_mask, and word_boundary_ids
    for a model that reads them (padded with 0, as the special tokens are)."""
    inputs = {
        "input_ids": pad_batch(sequences, pad, device),
        "attention_mask": pad_batch([[1] * len(s) for s in sequences], 0, device),
    }
    if reads_word_boundaries(model):
        if word_boundaries is None:
            raise invalid("this model reads where words begin and end: the request needs wordBoundaries (one list per sequence)")
        inputs["word_boundary_ids"] = pad_batch(word_boundaries, 0, device)
    return inputs


def predict_label_ids(
    model: Any,
    sequences: Sequence[Sequence[int]],
    device: Any,
    bf16: bool = True,
    batch_size: int = PREDICT_BATCH,
    word_boundaries: Optional[Sequence[Sequence[int]]] = None,
) -> Tuple[List[List[int]], List[List[float]]]:
    """Label id and probability for every token of every sequence, in the order given; batches of
    similar length, padded only to the longest in each batch. Per token the argmax and its softmax
    probability; for a model with a CRF, the best valid BIO path over each sequence's content and each
    tag's marginal probability. `word_boundaries` (one list per sequence) for a model that reads them."""
    torch = require("torch")
    pad = pad_token_id(model.config)
    crf = crf_of(model)
    labels: List[List[int]] = [[] for _ in sequences]
    probabilities: List[List[float]] = [[] for _ in sequences]
    was_training = model.training
    model.eval()
    try:
        with torch.inference_mode():
            for batch in bucketed_batches([len(s) for s in sequences], batch_size, random.Random(0), shuffle=False):
                boundaries = None if word_boundaries is None else [word_boundaries[i] for i in batch]
                inputs = model_inputs(model, [sequences[i] for i in batch], boundaries, pad, device)
                attention_mask = inputs["attention_mask"]
                with autocast(device, bf16):
                    logits = model(**inputs).logits
                if crf is not None:
                    ids, p = crf.decode(logits, attention_mask)
                    for row, i in enumerate(batch):
                        n = len(sequences[i])
                        labels[i], probabilities[i] = ids[row][:n], p[row][:n]
                    continue
                best_p, best_id = torch.softmax(logits.float(), dim=-1).max(dim=-1)
                best_p, best_id = best_p.cpu(), best_id.cpu()
                for row, i in enumerate(batch):
                    n = len(sequences[i])
                    labels[i] = best_id[row, :n].tolist()
                    probabilities[i] = best_p[row, :n].tolist()
    finally:
        model.train(was_training)
    return labels, probabilities


class _ModelCache:
    """The last model predict/entities loaded, reloaded when its weights file changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: Optional[Tuple[str, int]] = None
        self._model: Any = None
        self._device: Any = None

    def get(self, model_dir: str) -> Tuple[Any, Any]:
        weights = Path(model_dir) / "model.safetensors"
        key = (str(Path(model_dir).resolve()), weights.stat().st_mtime_ns if weights.exists() else -1)
        with self._lock:
            if key != self._key:
                self._model, self._key = None, None
                device = select_device("auto")
                self._model, self._device, self._key = load_saved(model_dir).to(device), device, key
            return self._model, self._device


_cache = _ModelCache()


def predict_entities(params: Any) -> Any:
    """EntityPredictParams -> EntityPredictResult."""
    if not isinstance(params, dict) or not isinstance(params.get("modelDir"), str):
        raise invalid("predict/entities needs {modelDir: string, batch: number[][], wordBoundaries?: number[][]}")
    batch = params.get("batch")
    if not isinstance(batch, list) or not all(is_int_list(s) and s for s in batch):
        raise invalid("batch must be a list of non-empty lists of token ids")
    boundaries = params.get("wordBoundaries")
    if boundaries is not None and (
        not isinstance(boundaries, list)
        or len(boundaries) != len(batch)
        or not all(is_int_list(b) and len(b) == len(s) and all(0 <= t < WORD_BOUNDARY_TAGS for t in b) for b, s in zip(boundaries, batch))
    ):
        raise invalid(f"wordBoundaries must hold one list per sequence of batch, each as long as it, of integers from 0 to {WORD_BOUNDARY_TAGS - 1}")
    model, device = _cache.get(params["modelDir"])
    check_token_ids(((f"batch[{i}]", sequence) for i, sequence in enumerate(batch)), model.config.vocab_size, max_positions(model.config))
    labels, probabilities = predict_label_ids(model, batch, device, word_boundaries=boundaries)
    return {"labelIds": labels, "probabilities": probabilities}
