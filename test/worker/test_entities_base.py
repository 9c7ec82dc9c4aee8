"""Base model folders for train/entities: a local Hugging Face BERT folder trains; a folder that
is missing files, holds only pickled weights or another architecture is refused with the reason."""

import json
from pathlib import Path
from typing import Callable

import pytest
from entity_task import VOCAB_SIZE, make_examples, train_params
from worker_client import WorkerClient

BASE_MODEL_INVALID = -32013
UNSUPPORTED_ARCHITECTURE = -32014


@pytest.fixture
def worker(python_with_torch: str, start_worker: Callable[..., WorkerClient]) -> WorkerClient:
    return start_worker(python_with_torch, extra_env={"OMP_NUM_THREADS": "1"})


def save_tiny_bert(folder: Path) -> None:
    """A pretrained-style folder (BertModel, no classification head), as bert-base-chinese ships."""
    from transformers import BertConfig, BertModel

    config = BertConfig(vocab_size=VOCAB_SIZE, hidden_size=32, num_hidden_layers=1, num_attention_heads=2, intermediate_size=64, max_position_embeddings=64)
    BertModel(config).save_pretrained(str(folder))


def train_from(worker: WorkerClient, base: Path, tmp_path: Path) -> dict:
    params = train_params(tmp_path / "ner", make_examples(32, seed=1), [], base={"kind": "folder", "path": str(base)}, epochs=1)
    return worker.request("train/entities", params, timeout=90)


def test_a_local_bert_folder_is_fine_tuned(worker: WorkerClient, tmp_path: Path) -> None:
    base = tmp_path / "tiny-bert"
    save_tiny_bert(base)
    assert (base / "model.safetensors").is_file()

    result = train_from(worker, base, tmp_path)["result"]

    config = json.loads((tmp_path / "ner" / "config.json").read_text())
    assert config["model_type"] == "bert" and config["hidden_size"] == 32 and len(config["id2label"]) == 5
    assert json.loads((tmp_path / "ner" / "card.json").read_text())["training"]["base"] == {"kind": "folder", "path": str(base)}
    assert result["bestEpoch"] == 1


def test_missing_folder(worker: WorkerClient, tmp_path: Path) -> None:
    error = train_from(worker, tmp_path / "nowhere", tmp_path)["error"]
    assert error["code"] == BASE_MODEL_INVALID and str(tmp_path / "nowhere") in error["message"]
    assert not (tmp_path / "ner").exists()


def test_folder_without_weights_names_the_missing_file(worker: WorkerClient, tmp_path: Path) -> None:
    base = tmp_path / "base"
    base.mkdir()
    (base / "config.json").write_text(json.dumps({"model_type": "bert"}))
    error = train_from(worker, base, tmp_path)["error"]
    assert error["code"] == BASE_MODEL_INVALID
    assert error["data"] == {"path": str(base), "missing": ["model.safetensors or model.safetensors.index.json"]}
    assert "model.safetensors" in error["message"]


def test_pickled_weights_only_are_refused_with_the_safetensors_hint(worker: WorkerClient, tmp_path: Path) -> None:
    base = tmp_path / "base"
    base.mkdir()
    (base / "config.json").write_text(json.dumps({"model_type": "bert"}))
    (base / "pytorch_model.bin").write_bytes(b"not loaded, ever")
    error = train_from(worker, base, tmp_path)["error"]
    assert error["code"] == BASE_MODEL_INVALID
    assert "pytorch_model.bin" in error["message"] and "only from safetensors" in error["message"]


def test_a_gpt2_folder_is_an_unsupported_architecture(worker: WorkerClient, tmp_path: Path) -> None:
    base = tmp_path / "gpt2"
    base.mkdir()
    (base / "config.json").write_text(json.dumps({"model_type": "gpt2", "vocab_size": 50257}))
    (base / "model.safetensors").write_bytes(b"")
    error = train_from(worker, base, tmp_path)["error"]
    assert error["code"] == UNSUPPORTED_ARCHITECTURE
    assert error["data"]["modelType"] == "gpt2" and "bert" in error["data"]["supported"]
    assert "gpt2" in error["message"] and "bert" in error["message"]
    assert [p.name for p in tmp_path.iterdir()] == ["gpt2"]
