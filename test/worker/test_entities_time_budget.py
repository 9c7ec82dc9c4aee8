"""hyper.maxSeconds: background retraining gives a run a time budget. The run ends once that much
training has run, mid-epoch if need be, the part-epoch is evaluated like a whole one and the best
checkpoint is saved; over the real protocol on a tiny BERT."""

from pathlib import Path
from typing import Any, Dict

from entity_task import make_examples, train_over_protocol
from worker_client import WorkerClient

ONE_THREAD = {"OMP_NUM_THREADS": "1"}


def train(python: str, output: Path, train_count: int, **hyper: Any) -> Dict[str, Any]:
    return train_over_protocol(python, output, make_examples(train_count, seed=21), make_examples(40, seed=22), lambda _epoch, accuracy: accuracy, **hyper)


def test_a_run_of_1000_epochs_ends_when_its_seconds_are_spent_and_keeps_its_best_epoch(python_with_torch: str, tmp_path: Path) -> None:
    result = train(python_with_torch, tmp_path / "m", 200, epochs=1000, patience=0, maxSeconds=4, threads=1)
    epochs = result["epochs"]
    # with patience 0 only the time budget ends the run before its 1000 epochs
    assert 1 <= len(epochs) < 1000, len(epochs)
    assert result["bestDevMetric"] == max(e["devMetric"] for e in epochs)
    assert (tmp_path / "m" / "model.safetensors").is_file()
    card = (tmp_path / "m" / "card.json").read_text(encoding="utf-8")
    assert '"maxSeconds": 4.0' in card and '"threads": 1' in card


def test_a_budget_shorter_than_one_epoch_ends_mid_epoch_and_still_evaluates(python_with_torch: str, tmp_path: Path) -> None:
    # 3,000 examples at batch 8 is 375 steps: far more than a tenth of a second of training
    result = train(python_with_torch, tmp_path / "m", 3000, epochs=3, batchSize=8, patience=0, maxSeconds=0.1)
    assert len(result["epochs"]) == 1
    assert result["epochs"][0]["devMetric"] is not None and result["bestEpoch"] == 1


def test_the_credit_trainer_refuses_a_time_budget(python_with_torch: str, tmp_path: Path) -> None:
    worker = WorkerClient(python_with_torch, extra_env=ONE_THREAD)
    try:
        response = worker.request(
            "train/credit",
            {
                "jobId": "c",
                "base": {"kind": "tiny", "vocabSize": 64},
                "labelTokenIds": [1, 2],
                "train": [{"inputIds": [3, 4], "label": 1}],
                "hyper": {"maxSeconds": 5},
                "output": {"dir": str(tmp_path / "c"), "files": {}, "card": {}},
            },
            timeout=60,
        )
        assert "error" in response and "maxSeconds" in response["error"]["message"], response
    finally:
        worker.kill()
