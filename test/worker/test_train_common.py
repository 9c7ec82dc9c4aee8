"""train_common.BestCheckpoint, the best-epoch selection both trainers use, on a real small module:
which epoch it keeps (by its own dev figure, or by the mean of a window), the count of epochs without
gain that early stopping reads, and the weights it restores."""

from typing import Dict, List, Optional

import pytest

torch = pytest.importorskip("torch")

from finlabel_worker.train_common import BestCheckpoint, FitOutcome, cpu_copy, parse_hyper, should_stop  # noqa: E402


def train(metrics: List[Optional[float]], window: int = 1) -> "tuple[BestCheckpoint, torch.nn.Linear, Dict[int, torch.Tensor], List[int]]":
    """Offers one epoch per figure; epoch e sets the weights to e, so a restore shows which was kept."""
    model = torch.nn.Linear(2, 1)
    best = BestCheckpoint(window)
    weights: Dict[int, torch.Tensor] = {}
    without_gain: List[int] = []
    for epoch, metric in enumerate(metrics, start=1):
        with torch.no_grad():
            model.weight.fill_(float(epoch))
        weights[epoch] = model.weight.detach().clone()
        best.offer(epoch, metric, lambda: cpu_copy(model.state_dict()))
        without_gain.append(best.without_gain)
    return best, model, weights, without_gain


def test_keeps_the_epoch_with_the_best_figure_and_restores_its_weights() -> None:
    best, model, weights, without_gain = train([0.3, 0.7, 0.5, 0.7])
    assert (best.epoch, best.metric) == (2, 0.7)
    assert without_gain == [0, 0, 1, 2], "a tie is no gain"
    outcome = FitOutcome()
    best.restore(model.load_state_dict, outcome)
    assert (outcome.best_epoch, outcome.best_metric) == (2, 0.7)
    assert torch.equal(model.weight, weights[2])


def test_the_copy_is_not_changed_by_training_on() -> None:
    model = torch.nn.Linear(2, 1)
    best = BestCheckpoint()
    best.offer(1, 0.5, lambda: cpu_copy(model.state_dict()))
    kept = model.weight.detach().clone()
    loss = model(torch.ones(4, 2)).sum()
    loss.backward()
    torch.optim.SGD(model.parameters(), lr=0.1).step()
    assert not torch.equal(model.weight, kept)
    best.offer(2, 0.4, lambda: cpu_copy(model.state_dict()))
    best.restore(model.load_state_dict, FitOutcome())
    assert torch.equal(model.weight, kept)


def test_with_a_window_an_epoch_is_judged_by_the_mean_of_the_last_evaluations() -> None:
    # As in test_entities_stopping: epoch 2 is a lucky spike; by the mean of three, epoch 6 (0.6) wins.
    scripted = [0.3, 0.7, 0.3, 0.6, 0.6, 0.6]
    assert train(scripted)[0].epoch == 2
    best, model, weights, without_gain = train(scripted, window=3)
    assert (best.epoch, best.metric) == (6, 0.6), "the kept epoch's own figure, not the mean"
    # means: 0.3, 0.5, 0.433, 0.533, 0.5, 0.6
    assert without_gain == [0, 0, 1, 0, 1, 0]


def test_the_last_kept_epoch_is_not_loaded_again_and_without_dev_data_the_last_epoch_is_kept() -> None:
    loads: List[int] = []
    best, model, _, _ = train([0.1, 0.2])
    best.restore(lambda state: loads.append(1), FitOutcome())
    assert loads == [], "the model already holds the last epoch's weights"

    best, model, weights, without_gain = train([None, None, None])
    outcome = FitOutcome()
    best.restore(lambda state: loads.append(1), outcome)
    assert (outcome.best_epoch, outcome.best_metric, loads, without_gain) == (3, None, [], [0, 0, 0])


def test_early_stopping_reads_its_count_and_figure() -> None:
    hyper = parse_hyper({"patience": 2})
    best, _, _, _ = train([0.4, 0.3, 0.2])
    assert should_stop(hyper, best.without_gain, 100, best.metric)
    zero, _, _, _ = train([0.0, 0.0, 0.0])
    assert not should_stop(hyper, zero.without_gain, 100, zero.metric), "a best figure of 0 never stops a run"
