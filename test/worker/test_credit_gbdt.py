"""The credit evaluation's GBDT baseline (baseline/gbdt, LightGBM) through the real worker process:
it learns a synthetic rule only trees can (an interaction), treats codes as categories, is
deterministic, and rejects malformed matrices naming the field."""

import random
from typing import Any, Dict, List, Tuple

import pytest
from local_job import roc_auc
from worker_client import WorkerClient

pytest.importorskip("lightgbm")


def table(seed: int, rows: int) -> Tuple[List[List[Any]], List[int]]:
    """Default when (tax < 30 and years < 3) or region 2: an interaction a linear model misses."""
    rng = random.Random(seed)
    x: List[List[Any]] = []
    y: List[int] = []
    for _ in range(rows):
        tax = rng.uniform(0, 100)
        years = rng.randint(0, 10)
        region = rng.randint(0, 3)
        noise = rng.random()
        x.append([tax, years, region, noise])
        y.append(1 if (tax < 30 and years < 3) or region == 2 else 0)
    return x, y


COLUMNS = [
    {"name": "纳税额(万元)", "categorical": False},
    {"name": "经营年限(年)", "categorical": False},
    {"name": "区域", "categorical": True},
    {"name": "噪声", "categorical": False},
]


def params(seed: int = 42) -> Dict[str, Any]:
    train_x, train_y = table(1, 600)
    test_x, _ = table(2, 200)
    return {"columns": COLUMNS, "trainX": train_x, "trainY": train_y, "predictX": test_x, "seed": seed}


def test_gbdt_learns_an_interaction_and_ranks_the_deciding_fields(worker: WorkerClient) -> None:
    response = worker.request("baseline/gbdt", params(), timeout=120)
    result = response["result"]
    _, test_y = table(2, 200)
    assert len(result["probabilities"]) == 200
    assert roc_auc(test_y, result["probabilities"]) > 0.95
    gains = {i["column"]: i["gain"] for i in result["importances"]}
    assert gains["噪声"] < min(gains["纳税额(万元)"], gains["经营年限(年)"], gains["区域"])
    assert result["folds"] == 5 and 0 < result["rounds"] <= 2000 and result["cvAuc"] > 0.9
    assert result["lightgbmVersion"] == "4.7.0"


def test_gbdt_is_deterministic(worker: WorkerClient) -> None:
    first = worker.request("baseline/gbdt", params(), timeout=120)["result"]
    second = worker.request("baseline/gbdt", params(), timeout=120)["result"]
    assert first["probabilities"] == second["probabilities"]


def test_gbdt_rejects_bad_matrices_naming_the_field(worker: WorkerClient) -> None:
    bad = params()
    bad["trainX"][3] = [1.0, 2.0]
    error = worker.request("baseline/gbdt", bad)["error"]
    assert error["code"] == -32602 and "trainX[3]" in error["message"]
    one_class = params()
    one_class["trainY"] = [0] * len(one_class["trainY"])
    assert "one class" in worker.request("baseline/gbdt", one_class)["error"]["message"]
