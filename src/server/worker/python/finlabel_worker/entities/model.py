"""Building the token classifier: from a local Hugging Face folder (safetensors only, no remote
code, nothing downloaded) or from a small BertConfig with random weights (tests, defaults)."""

from pathlib import Path
from typing import Any, Dict, List, Optional

from ..errors import invalid
from ..imports import require
from ..train_common import SAFETENSORS_WEIGHTS, check_base_folder, check_model_type
from . import bilstm

# BERT-style encoders whose token-classification head takes input_ids + attention_mask.
SUPPORTED_MODEL_TYPES = ("bert", "roberta", "xlm-roberta", "electra", "albert", "distilbert", "ernie", "megatron-bert")
# RoBERTa-style position tables start after the padding index.
POSITION_OFFSET = {"roberta": 2, "xlm-roberta": 2}

TINY_DEFAULTS = {"hiddenSize": 64, "layers": 2, "heads": 2, "intermediateSize": 128, "maxPositions": 512}
# The shapes a tiny base may take: a small BERT (the default) or the character BiLSTM (bilstm.py).
TINY_ARCHITECTURES = ("bert", "bilstm")


def label_maps(labels: List[str]) -> Dict[str, Any]:
    return {
        "num_labels": len(labels),
        "id2label": {i: name for i, name in enumerate(labels)},
        "label2id": {name: i for i, name in enumerate(labels)},
    }


def build_model(base: Dict[str, Any], labels: List[str]) -> Any:
    """A token classifier with len(labels) outputs; seed torch first for a reproducible head."""
    if base.get("kind") == "tiny":
        return _tiny_model(base, labels)
    path = base.get("path")
    if not isinstance(path, str) or not path:
        raise invalid("base.path must be the path of a local model folder")
    folder = check_base_folder(path, [SAFETENSORS_WEIGHTS])
    check_architecture(folder)
    bilstm.classes()  # a FinLabel small model may be the base too: its classes must be registered
    transformers = require("transformers")
    config = transformers.AutoConfig.from_pretrained(folder, local_files_only=True, trust_remote_code=False, **label_maps(labels))
    return transformers.AutoModelForTokenClassification.from_pretrained(
        folder, config=config, use_safetensors=True, local_files_only=True, trust_remote_code=False
    )


def load_saved(model_dir: str) -> Any:
    """A model folder this worker wrote (config.json + model.safetensors), in eval mode."""
    folder = check_base_folder(model_dir, [SAFETENSORS_WEIGHTS])
    check_architecture(folder)
    bilstm.classes()
    transformers = require("transformers")
    model = transformers.AutoModelForTokenClassification.from_pretrained(folder, use_safetensors=True, local_files_only=True, trust_remote_code=False)
    return model.eval()


def check_architecture(folder: Path) -> None:
    check_model_type(folder, (*SUPPORTED_MODEL_TYPES, bilstm.MODEL_TYPE), "the entity extractor trains BERT-style encoders and its own small BiLSTM")


def max_positions(config: Any) -> Optional[int]:
    total = getattr(config, "max_position_embeddings", None)
    if total is None:
        return None
    return int(total) - POSITION_OFFSET.get(config.model_type, 0)


def _tiny_model(base: Dict[str, Any], labels: List[str]) -> Any:
    architecture = base.get("architecture") or "bert"
    if architecture not in TINY_ARCHITECTURES:
        raise invalid(f"base.architecture must be one of {', '.join(TINY_ARCHITECTURES)}, got {architecture!r}")
    settings = {**TINY_DEFAULTS, **{k: v for k, v in base.items() if k in TINY_DEFAULTS and v is not None}}
    vocab = base.get("vocabSize")
    for key, value in [("vocabSize", vocab), *settings.items()]:
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise invalid(f"base.{key} must be a positive integer, got {value!r}")
    if settings["hiddenSize"] % settings["heads"]:
        raise invalid(f"base.hiddenSize ({settings['hiddenSize']}) must be a multiple of base.heads ({settings['heads']})")
    if architecture == "bilstm":
        regularisation = {"dropout": bilstm.DEFAULT_DROPOUT, "tokenDropout": bilstm.DEFAULT_TOKEN_DROPOUT}
        for key in regularisation:
            value = base.get(key)
            if value is None:
                continue
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value < 1:
                raise invalid(f"base.{key} must be a number in [0, 1), got {value!r}")
            regularisation[key] = float(value)
        word_boundaries = base.get("wordBoundaries", False)
        if not isinstance(word_boundaries, bool):
            raise invalid(f"base.wordBoundaries must be true or false, got {word_boundaries!r}")
        return bilstm.build(vocab, settings["hiddenSize"], label_maps(labels), regularisation["dropout"], regularisation["tokenDropout"], word_boundaries)
    if base.get("wordBoundaries"):
        raise invalid("base.wordBoundaries is for the bilstm architecture; a BERT reads words through its own tokens")
    transformers = require("transformers")
    config = transformers.BertConfig(
        vocab_size=vocab,
        hidden_size=settings["hiddenSize"],
        num_hidden_layers=settings["layers"],
        num_attention_heads=settings["heads"],
        intermediate_size=settings["intermediateSize"],
        max_position_embeddings=settings["maxPositions"],
        pad_token_id=0,
        **label_maps(labels),
    )
    return transformers.BertForTokenClassification(config)
