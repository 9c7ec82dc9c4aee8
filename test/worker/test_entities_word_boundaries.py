"""The small BiLSTM with word boundaries (bilstm.py, word_boundaries): a second input says where each
token sits in a word, and the model uses it. In this task an entity is the whole word that starts
with the trigger token, and the tokens after the trigger are random: only the boundaries say where the
entity ends."""

import json
import random
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest
from entity_task import CLS, IGNORE, SEP, VOCAB_SIZE, entity_token_accuracy, train_params
from worker_client import WorkerClient

ONE_THREAD = {"OMP_NUM_THREADS": "1"}
BASE = {"kind": "tiny", "architecture": "bilstm", "vocabSize": VOCAB_SIZE, "hiddenSize": 32, "wordBoundaries": True}
TRIGGER = 3
BEGIN, MIDDLE, END, SINGLE = 1, 2, 3, 4


def word_examples(count: int, seed: int) -> List[Dict[str, List[int]]]:
    """Words of 1-3 random tokens; a word starting with TRIGGER is an entity X (B-X, then I-X to its end)."""
    rng = random.Random(seed)
    examples = []
    for _ in range(count):
        ids, tags, boundaries = [CLS], [IGNORE], [0]
        while len(ids) < rng.randint(10, 22):
            length = rng.randint(1, 3)
            entity = rng.random() < 0.3
            word = [TRIGGER if entity else rng.randrange(20, VOCAB_SIZE)] + [rng.randrange(20, VOCAB_SIZE) for _ in range(length - 1)]
            ids += word
            tags += [1] + [2] * (length - 1) if entity else [0] * length
            boundaries += [SINGLE] if length == 1 else [BEGIN] + [MIDDLE] * (length - 2) + [END]
        examples.append({"inputIds": ids + [SEP], "labelIds": tags + [IGNORE], "wordBoundaryIds": boundaries + [0]})
    return examples


@pytest.fixture(scope="module")
def trained(python_with_torch: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dict[str, Any]]:
    worker = WorkerClient(python_with_torch, extra_env=ONE_THREAD)
    train, dev, held_out = word_examples(600, seed=31), word_examples(80, seed=32), word_examples(200, seed=33)
    worker.server_handlers["evaluate/entities"] = lambda p: {"metric": entity_token_accuracy(dev, p["predictions"]), "name": "stand-in"}
    output = tmp_path_factory.mktemp("models") / "words"
    params = train_params(output, train, dev, base=BASE, export={"onnx": True, "quantize": False}, epochs=10, learningRate=5e-3, patience=3)
    response = worker.request("train/entities", params, timeout=170)
    yield {"worker": worker, "response": response, "output": output, "held_out": held_out}
    worker.kill()


def predict(trained: Dict[str, Any], rows: List[Dict[str, List[int]]], boundaries: bool = True) -> Dict[str, Any]:
    params: Dict[str, Any] = {"modelDir": str(trained["output"]), "batch": [e["inputIds"] for e in rows]}
    if boundaries:
        params["wordBoundaries"] = [e["wordBoundaryIds"] for e in rows]
    return trained["worker"].request("predict/entities", params)


def test_the_model_finds_where_an_entity_ends_from_the_word_boundaries(trained: Dict[str, Any]) -> None:
    assert "result" in trained["response"], trained["response"]
    held_out = trained["held_out"]
    assert entity_token_accuracy(held_out, predict(trained, held_out)["result"]["labelIds"]) >= 0.9
    # The same tokens with every token a word of its own: the entities shrink to their trigger.
    alone = [{**e, "wordBoundaryIds": [0] + [SINGLE] * (len(e["inputIds"]) - 2) + [0]} for e in held_out]
    assert entity_token_accuracy(held_out, predict(trained, alone)["result"]["labelIds"]) < 0.8


def test_the_onnx_graph_takes_the_boundaries_as_a_third_input_and_matches_pytorch(trained: Dict[str, Any]) -> None:
    import onnxruntime

    result = trained["response"]["result"]
    assert result["onnx"]["maxAbsDiff"] < 1e-4
    session = onnxruntime.InferenceSession(str(trained["output"] / "model.onnx"), providers=["CPUExecutionProvider"])
    assert [i.name for i in session.get_inputs()] == ["input_ids", "attention_mask", "word_boundary_ids"]
    assert json.loads((trained["output"] / "config.json").read_text())["word_boundaries"] is True


def test_a_request_without_the_boundaries_is_refused_saying_what_it_needs(trained: Dict[str, Any]) -> None:
    error = predict(trained, trained["held_out"][:2], boundaries=False)["error"]
    assert error["code"] == -32602 and "needs wordBoundaries" in error["message"]
    bad = [{**e, "wordBoundaryIds": e["wordBoundaryIds"][:-1]} for e in trained["held_out"][:2]]
    error = predict(trained, bad)["error"]
    assert error["code"] == -32602 and "wordBoundaries must hold one list per sequence" in error["message"]


def test_examples_and_model_must_agree_on_the_boundaries(python_with_torch: str, tmp_path: Path) -> None:
    worker = WorkerClient(python_with_torch, extra_env=ONE_THREAD)
    try:
        examples = word_examples(20, seed=4)
        plain = [{k: v for k, v in e.items() if k != "wordBoundaryIds"} for e in examples]
        cases = [
            ("no-boundaries", plain, BASE, "the examples have no wordBoundaryIds"),
            ("unread", examples, {**BASE, "wordBoundaries": False}, "the model does not read them"),
            ("mixed", examples[:10] + plain[10:], BASE, "for every example or for none"),
            ("out-of-range", [{**examples[0], "wordBoundaryIds": [9] * len(examples[0]["inputIds"])}], BASE, "integers from 0 to 4"),
            ("bert", examples, {"kind": "tiny", "vocabSize": VOCAB_SIZE, "wordBoundaries": True}, "is for the bilstm architecture"),
        ]
        for name, rows, base, message in cases:
            error = worker.request("train/entities", train_params(tmp_path / name, rows, [], base=base, epochs=1), timeout=60)["error"]
            assert error["code"] == -32602 and message in error["message"], (name, error)
            assert not (tmp_path / name).exists()
    finally:
        worker.kill()
