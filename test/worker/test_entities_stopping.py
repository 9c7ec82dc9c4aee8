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


def test_with_a_selection_window_one_lucky_epoch_is_not_kept(python_with_torch: str, tmp_path: Path) -> None:
    # Epoch 2 is a lucky spike; epochs 4-6 are better on the whole. By single epochs epoch 2 wins;
    # judged by the mean of three evaluations, epoch 6 (0.6) beats epoch 2 (0.5 over its two) and 4 (0.53).
    scripted = {1: 0.3, 2: 0.7, 3: 0.3, 4: 0.6, 5: 0.6, 6: 0.6}
    single = run(python_with_torch, tmp_path / "a", lambda epoch, accuracy: scripted[epoch], epochs=6, patience=0)
    assert single["bestEpoch"] == 2 and single["bestDevMetric"] == 0.7
    windowed = run(python_with_torch, tmp_path / "b", lambda epoch, accuracy: scripted[epoch], epochs=6, patience=0, selectionWindow=3)
    assert windowed["bestEpoch"] == 6 and windowed["bestDevMetric"] == 0.6, windowed
    assert '"selectionWindow": 3' in (tmp_path / "b" / "card.json").read_text(encoding="utf-8")
