"""A synthetic tagging task for the entity model's tests, and a test stand-in for the server's metric.

Sequences of random "plain" tokens between [CLS] and [SEP]. Trigger token 3 starts an entity of
type X, trigger 4 one of type Y; the entity goes on over the next 0-2 "continuation" tokens
(5..14), whose tag (I-X or I-Y) depends on the trigger before them: that needs the context.
All entities of one sequence have the same type.
"""

import random
from pathlib import Path
from typing import Any, Dict, List, Optional

LABELS = ["O", "B-X", "I-X", "B-Y", "I-Y"]
VOCAB_SIZE = 120
CLS, SEP = 1, 2
TRIGGERS = {3: (1, 2), 4: (3, 4)}  # token -> (B id, I id)
CONTINUATION = range(5, 15)
PLAIN = range(20, VOCAB_SIZE)
IGNORE = -100


def make_examples(count: int, seed: int, min_len: int = 8, max_len: int = 20) -> List[Dict[str, List[int]]]:
    rng = random.Random(seed)
    examples = []
    for _ in range(count):
        target = rng.randint(min_len, max_len)
        ids, tags = [CLS], [IGNORE]
        trigger = rng.choice(list(TRIGGERS))
        b, i = TRIGGERS[trigger]
        while len(ids) < target:
            if rng.random() < 0.2:
                length = rng.randint(0, 2)
                ids += [trigger] + [rng.choice(CONTINUATION) for _ in range(length)]
                tags += [b] + [i] * length
                ids.append(rng.choice(PLAIN))  # an entity always ends before a plain token
                tags.append(0)
            else:
                ids.append(rng.choice(PLAIN))
                tags.append(0)
        examples.append({"inputIds": ids + [SEP], "labelIds": tags + [IGNORE]})
    return examples


def entity_token_accuracy(gold: List[Dict[str, List[int]]], predictions: List[List[int]]) -> float:
    """Share of gold entity tokens (not O, not -100) predicted with the right label id.

    A TEST STAND-IN for the server's answer to evaluate/entities: the real metric (strict span F1)
    lives in the TypeScript language server; the worker only passes predictions through."""
    right = total = 0
    for example, predicted in zip(gold, predictions):
        assert len(predicted) == len(example["labelIds"]), "one prediction per input token"
        for tag, guess in zip(example["labelIds"], predicted):
            if tag not in (IGNORE, 0):
                total += 1
                right += int(tag == guess)
    return right / max(total, 1)


TINY_BASE = {"kind": "tiny", "vocabSize": VOCAB_SIZE, "hiddenSize": 64, "layers": 2, "heads": 2, "intermediateSize": 128, "maxPositions": 64}


def train_params(
    output_dir: Path,
    train: List[Dict[str, Any]],
    dev: List[Dict[str, Any]],
    base: Optional[Dict[str, Any]] = None,
    export: Optional[Dict[str, bool]] = None,
    **hyper: Any,
) -> Dict[str, Any]:
    return {
        "jobId": "job-" + output_dir.name,
        "base": base or TINY_BASE,
        "labels": LABELS,
        "train": train,
        "dev": dev,
        "hyper": {"epochs": 8, "batchSize": 32, "learningRate": 2e-3, "warmupRatio": 0.1, "patience": 3, "seed": 7, **hyper},
        "export": export or {"onnx": False, "quantize": False},
        "output": {
            "dir": str(output_dir),
            "files": {"labels.json": '["O", "B-X", "I-X", "B-Y", "I-Y"]\n', "tokenizer.json": "{}\n"},
            "card": {"dataHash": "sha256:test", "schema": {"X": "X", "Y": "Y"}},
        },
    }


def train_over_protocol(python: str, output: Path, train: List[Dict[str, Any]], dev: List[Dict[str, Any]], metric: Any, **hyper: Any) -> Dict[str, Any]:
    """train/entities over the real protocol on one thread, the server's metric replaced by
    `metric(epoch, token_accuracy)`; the TrainResult."""
    from worker_client import WorkerClient  # the protocol client, only for the tests that train

    worker = WorkerClient(python, extra_env={"OMP_NUM_THREADS": "1"})
    try:

        def evaluate(params: Dict[str, Any]) -> Dict[str, Any]:
            return {"metric": metric(params["epoch"], entity_token_accuracy(dev, params["predictions"])), "name": "scripted"}

        worker.server_handlers["evaluate/entities"] = evaluate
        response = worker.request("train/entities", train_params(output, train, dev, **hyper), timeout=170)
        assert "result" in response, response
        return response["result"]
    finally:
        worker.kill()
