"""The small CPU entity model (entities/bilstm.py) over the real protocol: it trains from random
weights, exports to ONNX that matches PyTorch on padded batches, and serves predictions like a BERT."""

import json
from pathlib import Path
from typing import Any, Dict, Iterator

import pytest
from entity_task import VOCAB_SIZE, entity_token_accuracy, make_examples, train_params
from worker_client import WorkerClient

ONE_THREAD = {"OMP_NUM_THREADS": "1"}
BILSTM_BASE = {"kind": "tiny", "architecture": "bilstm", "vocabSize": VOCAB_SIZE, "hiddenSize": 32}


@pytest.fixture(scope="module")
def trained(python_with_torch: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dict[str, Any]]:
    worker = WorkerClient(python_with_torch, extra_env=ONE_THREAD)
    train, dev, held_out = make_examples(600, seed=21), make_examples(80, seed=22), make_examples(200, seed=23)
    worker.server_handlers["evaluate/entities"] = lambda p: {"metric": entity_token_accuracy(dev, p["predictions"]), "name": "stand-in"}
    output = tmp_path_factory.mktemp("models") / "bilstm"
    params = train_params(output, train, dev, base=BILSTM_BASE, export={"onnx": True, "quantize": True}, epochs=10, learningRate=5e-3, patience=3)
    response = worker.request("train/entities", params, timeout=170)
    yield {"worker": worker, "response": response, "output": output, "held_out": held_out}
    worker.kill()


def test_the_bilstm_learns_the_synthetic_task_and_predicts_through_the_worker(trained: Dict[str, Any]) -> None:
    assert "result" in trained["response"], trained["response"]
    held_out = trained["held_out"]
    predicted = trained["worker"].request("predict/entities", {"modelDir": str(trained["output"]), "batch": [e["inputIds"] for e in held_out]})["result"]
    # The I- tag depends on the trigger before it: the model must carry context left to right.
    assert entity_token_accuracy(held_out, predicted["labelIds"]) >= 0.9


def test_its_folder_is_safetensors_with_its_own_model_type(trained: Dict[str, Any]) -> None:
    output: Path = trained["output"]
    names = {p.name for p in output.iterdir()}
    assert {"config.json", "model.safetensors", "model.onnx", "model.int8.onnx", "card.json", "crf.json"} <= names
    assert not any(name.endswith((".bin", ".pt")) for name in names)
    config = json.loads((output / "config.json").read_text())
    assert config["model_type"] == "finlabel-bilstm" and config["hidden_size"] == 32 and config["crf"] is True
    # the transition scores the server's decoder adds, by label name, learnt: BIO's forbidden O -> I-X scores low
    crf = json.loads((output / "crf.json").read_text())
    bio = [config["id2label"][str(i)] for i in range(len(config["id2label"]))]
    assert crf["bio"] == bio and len(crf["start"]) == len(crf["end"]) == len(bio)
    assert len(crf["transitions"]) == len(bio) and all(len(row) == len(bio) for row in crf["transitions"])
    o, inside = bio.index("O"), next(i for i, name in enumerate(bio) if name.startswith("I-"))
    assert crf["transitions"][o][inside] < crf["transitions"][inside - 1][inside]
    card = json.loads((output / "card.json").read_text())
    assert card["training"]["base"]["architecture"] == "bilstm"
    assert (config["dropout"], config["token_dropout"]) == (0.5, 0.1), "a base that names no regularisation gets the small-data one"


def test_onnx_matches_pytorch_on_padded_batches_and_int8_agrees(trained: Dict[str, Any]) -> None:
    # The export's parity check runs batches of 1, 2 and 3 rows with padded rows on fresh inputs: the
    # backward LSTM must read each row within its own length for these to match.
    onnx = trained["response"]["result"]["onnx"]
    assert onnx["maxAbsDiff"] < 1e-4
    assert onnx["quantized"]["bytes"] < onnx["bytes"] and onnx["quantized"]["argmaxAgreement"] >= 0.9


def test_padding_does_not_change_a_rows_predictions(trained: Dict[str, Any]) -> None:
    worker: WorkerClient = trained["worker"]
    rows = [e["inputIds"] for e in trained["held_out"][:6]]
    together = worker.request("predict/entities", {"modelDir": str(trained["output"]), "batch": rows})["result"]
    for row, labels, probabilities in zip(rows, together["labelIds"], together["probabilities"]):
        alone = worker.request("predict/entities", {"modelDir": str(trained["output"]), "batch": [row]})["result"]
        assert alone["labelIds"][0] == labels
        assert max(abs(a - b) for a, b in zip(alone["probabilities"][0], probabilities)) < 1e-5


def test_an_unknown_architecture_is_refused_naming_the_choices(python_with_torch: str, tmp_path: Path) -> None:
    worker = WorkerClient(python_with_torch, extra_env=ONE_THREAD)
    try:
        params = train_params(tmp_path / "x", make_examples(10, seed=1), [], base={**BILSTM_BASE, "architecture": "gru"})
        error = worker.request("train/entities", params, timeout=60)["error"]
        assert error["code"] == -32602 and "base.architecture must be one of bert, bilstm" in error["message"]
        assert not (tmp_path / "x").exists()
    finally:
        worker.kill()


def test_the_regularisation_the_base_names_is_the_models_and_nonsense_is_refused(python_with_torch: str, tmp_path: Path) -> None:
    worker = WorkerClient(python_with_torch, extra_env=ONE_THREAD)
    try:
        examples = make_examples(40, seed=3)
        light = {**BILSTM_BASE, "dropout": 0.3, "tokenDropout": 0.05}
        result = worker.request("train/entities", train_params(tmp_path / "light", examples, [], base=light, epochs=1), timeout=120)
        assert "result" in result, result
        config = json.loads((tmp_path / "light" / "config.json").read_text())
        assert (config["dropout"], config["token_dropout"]) == (0.3, 0.05)
        for key, value in (("dropout", 1.0), ("tokenDropout", "0.1")):
            error = worker.request("train/entities", train_params(tmp_path / key, examples, [], base={**BILSTM_BASE, key: value}), timeout=60)["error"]
            assert error["code"] == -32602 and f"base.{key} must be a number in [0, 1)" in error["message"], error
            assert not (tmp_path / key).exists()
    finally:
        worker.kill()


def test_a_new_model_has_no_bigram_table_and_an_old_folder_with_one_still_loads(tmp_path: Path) -> None:
    # Models trained before the recipe changed have bigrams=True in config.json (or no such key) and a
    # bigram table in their weights: they must load and predict as they were trained.
    import torch
    from finlabel_worker.entities import bilstm

    config_class, model_class = bilstm.classes()
    labels = {"id2label": {0: "O", 1: "B-X", 2: "I-X"}, "label2id": {"O": 0, "B-X": 1, "I-X": 2}}
    new = bilstm.build(VOCAB_SIZE, 16, labels)
    assert new.bigrams is None and new.config.token_dropout > 0
    old = model_class(config_class(vocab_size=VOCAB_SIZE, hidden_size=16, **labels))
    old.save_pretrained(tmp_path)
    config = json.loads((tmp_path / "config.json").read_text())
    del config["bigrams"], config["token_dropout"]  # as the first version wrote it
    (tmp_path / "config.json").write_text(json.dumps(config))
    loaded = model_class.from_pretrained(tmp_path)
    assert loaded.bigrams is not None and loaded.config.token_dropout == 0
    ids = torch.tensor([[5, 6, 7, 0]])
    mask = torch.tensor([[1, 1, 1, 0]])
    old.eval()
    loaded.eval()
    assert torch.allclose(old(ids, mask).logits, loaded(ids, mask).logits)
    # token dropout acts in training only: two eval passes agree
    new.eval()
    assert torch.equal(new(ids, mask).logits, new(ids, mask).logits)
