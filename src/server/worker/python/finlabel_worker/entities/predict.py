"""Per-token predictions: the most likely label id and its probability."""

import random
import threading
from pathlib import Path
from typing import Any, List, Optional, Sequence, Tuple

from ..errors import invalid
from ..imports import require
from ..param_checks import check_token_ids, is_int_list
from ..train_common import autocast, bucketed_batches, pad_batch, pad_token_id, select_device
from .bilstm import crf_of
from .model import load_saved, max_positions

PREDICT_BATCH = 64


def predict_label_ids(
    model: Any, sequences: Sequence[Sequence[int]], device: Any, bf16: bool = True, batch_size: int = PREDICT_BATCH
) -> Tuple[List[List[int]], List[List[float]]]:
    """Label id and probability for every token of every sequence, in the order given; batches of
    similar length, padded only to the longest in each batch. Per token the argmax and its softmax
    probability; for a model with a CRF, the best valid BIO path over each sequence's content and each
    tag's marginal probability."""
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
                input_ids = pad_batch([sequences[i] for i in batch], pad, device)
                attention_mask = pad_batch([[1] * len(sequences[i]) for i in batch], 0, device)
                with autocast(device, bf16):
                    logits = model(input_ids=input_ids, attention_mask=attention_mask).logits
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
        raise invalid("predict/entities needs {modelDir: string, batch: number[][]}")
    batch = params.get("batch")
    if not isinstance(batch, list) or not all(is_int_list(s) and s for s in batch):
        raise invalid("batch must be a list of non-empty lists of token ids")
    model, device = _cache.get(params["modelDir"])
    check_token_ids(((f"batch[{i}]", sequence) for i, sequence in enumerate(batch)), model.config.vocab_size, max_positions(model.config))
    labels, probabilities = predict_label_ids(model, batch, device)
    return {"labelIds": labels, "probabilities": probabilities}
