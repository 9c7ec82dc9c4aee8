"""Early stopping never ends a run before it has started to learn (train_common.should_stop), over the
real protocol on a tiny BERT. The server's metric is replaced by stand-ins that script the dev figure."""

import math
from pathlib import Path
from typing import Any, Dict, List

from entity_task import make_examples, train_over_protocol


def run(python: str, output: Path, metric_of_epoch: Any, **hyper: Any) -> Dict[str, Any]:
    return train_over_protocol(python, output, make_examples(200, seed=11), make_examples(40, seed=12), metric_of_epoch, **hyper)


def test_a_dev_figure_of_0_for_the_first_epochs_does_not_stop_the_run(python_with_torch: str, tmp_path: Path) -> None:
    # Dev F1 is 0 for four epochs (a model from random weights that has not yet found an entity).
    # With patience 2 the old rule stopped after epoch 3 and kept epoch 1: a model that predicts nothing.
    result = run(python_with_torch, tmp_path / "m", lambda epoch, accuracy: 0.0 if epoch <= 4 else accuracy, epochs=9, patience=2)
    metrics: List[float] = [e["devMetric"] for e in result["epochs"]]
    assert metrics[:4] == [0.0] * 4
    assert len(metrics) >= 5, metrics
    assert result["bestEpoch"] >= 5 and result["bestDevMetric"] > 0.5, result


def test_no_stop_before_min_steps_then_patience_applies(python_with_torch: str, tmp_path: Path) -> None:
    steps_per_epoch = math.ceil(200 / 32)  # 7
    flat = lambda epoch, accuracy: 0.5  # noqa: E731 (never better than epoch 1)
    without = run(python_with_torch, tmp_path / "a", flat, epochs=8, patience=1)
    assert [e["epoch"] for e in without["epochs"]] == [1, 2] and without["bestEpoch"] == 1
    with_min = run(python_with_torch, tmp_path / "b", flat, epochs=8, patience=1, minSteps=4 * steps_per_epoch)
    # epoch 4 is the first evaluation after 28 steps
    assert [e["epoch"] for e in with_min["epochs"]] == [1, 2, 3, 4] and with_min["bestEpoch"] == 1
    card = (tmp_path / "b" / "card.json").read_text(encoding="utf-8")
    assert '"minSteps": 28' in card
