"""Jobs over the real protocol: cancel, $/cancelRequest, BUSY, shutdown and crash during training,
failing server callbacks; the model folder appears only when a job succeeds."""

import time
from pathlib import Path
from typing import Any, Callable, Dict, List

import pytest
from entity_task import make_examples, train_params
from worker_client import NO_ANSWER, WorkerClient

ONE_THREAD = {"OMP_NUM_THREADS": "1"}
CANCELLED = -32800
INTERNAL = -32011


@pytest.fixture
def worker(python_with_torch: str, start_worker: Callable[..., WorkerClient]) -> WorkerClient:
    return start_worker(python_with_torch, extra_env=ONE_THREAD)


def long_job(output: Path) -> Dict[str, Any]:
    """Far more work than any test waits for: it only ends by cancel, crash or shutdown."""
    return train_params(output, make_examples(2000, seed=5), [], epochs=50, batchSize=8)


def leftovers(folder: Path) -> List[str]:
    return sorted(p.name for p in folder.iterdir())


def wait_until_training(worker: WorkerClient) -> None:
    worker.wait_for_progress(lambda p: p["phase"] == "train" and p["step"] >= 2)


def test_cancel_answers_cancelled_and_leaves_no_folder(worker: WorkerClient, tmp_path: Path) -> None:
    job_id = worker.send_request("train/entities", long_job(tmp_path / "ner"))
    wait_until_training(worker)

    busy = worker.request("train/entities", train_params(tmp_path / "other", make_examples(10, seed=1), []))
    assert busy["error"]["code"] == -32015 and busy["error"]["data"] == {"jobId": "job-ner"}
    assert "job-ner" in busy["error"]["message"]
    assert worker.request("cancel", {"jobId": "no-such-job"})["result"] == {"cancelled": False}
    cancel_id = worker.send_request("cancel", {"jobId": "job-ner"})

    answers = {m["id"]: m for m in (worker.next_message(), worker.next_message())}
    assert answers[cancel_id]["result"] == {"cancelled": True}
    assert answers[job_id]["error"]["code"] == CANCELLED
    assert "train/entities job job-ner was cancelled" == answers[job_id]["error"]["message"]
    assert leftovers(tmp_path) == []
    # The worker takes the next job.
    assert worker.request("deviceInfo")["result"]["device"] in ("cpu", "cuda")
    assert worker.request("cancel", {"jobId": "job-ner"})["result"] == {"cancelled": False}


def test_cancel_request_notification_cancels_the_job(worker: WorkerClient, tmp_path: Path) -> None:
    job_id = worker.send_request("train/entities", long_job(tmp_path / "ner"))
    wait_until_training(worker)

    worker.send({"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": job_id + 100}})  # another request: no effect
    worker.send({"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": job_id}})

    answer = worker.next_message()
    assert answer["id"] == job_id and answer["error"]["code"] == CANCELLED
    assert leftovers(tmp_path) == []


def test_shutdown_during_a_job_cancels_it_first(worker: WorkerClient, tmp_path: Path) -> None:
    job_id = worker.send_request("train/entities", long_job(tmp_path / "ner"))
    wait_until_training(worker)

    shutdown_id = worker.send_request("shutdown")

    assert worker.next_message()["id"] == job_id
    assert worker.next_message() == {"jsonrpc": "2.0", "id": shutdown_id, "result": None}
    assert worker.wait() == 0
    assert leftovers(tmp_path) == []


def test_crash_mid_training_never_leaves_a_model_folder(worker: WorkerClient, start_worker: Callable[..., WorkerClient], tmp_path: Path) -> None:
    worker.send_request("train/entities", long_job(tmp_path / "ner"))
    wait_until_training(worker)

    worker.send({"jsonrpc": "2.0", "id": 99, "method": "debug/crash", "params": {"code": 7}})

    assert worker.wait() == 7
    # Only the staging folder remains (nobody was left to delete it); it never became the model.
    assert not (tmp_path / "ner").exists()
    orphans = leftovers(tmp_path)
    assert len(orphans) == 1 and orphans[0].startswith(".ner.partial-")

    # The next model saved in that folder removes the dead worker's staging folder.
    second = start_worker()
    answer = second.request("train/entities", train_params(tmp_path / "ner-2", make_examples(8, seed=1), [], epochs=1), timeout=120)
    assert "result" in answer, answer
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ner-2"]


def test_cancel_while_waiting_for_the_server_metric(worker: WorkerClient, tmp_path: Path) -> None:
    worker.server_handlers["evaluate/entities"] = lambda params: NO_ANSWER
    dev = make_examples(20, seed=2)
    job_id = worker.send_request("train/entities", train_params(tmp_path / "ner", make_examples(40, seed=1), dev, epochs=1))
    worker.wait_for_progress(lambda p: p["phase"] == "evaluate")
    wait_for(lambda: worker.server_requests)
    request = worker.server_requests[0]
    assert request["id"] == "w1" and request["params"]["epoch"] == 1 and len(request["params"]["predictions"]) == 20

    cancel_id = worker.send_request("cancel", {"jobId": "job-ner"})

    answers = {m["id"]: m for m in (worker.next_message(), worker.next_message())}
    assert answers[job_id]["error"]["code"] == CANCELLED
    assert answers[cancel_id]["result"] == {"cancelled": True}
    assert leftovers(tmp_path) == []
    # The worker told the server to stop computing the metric it no longer waits for.
    wait_for(lambda: worker.notifications("$/cancelRequest"))
    assert worker.notifications("$/cancelRequest") == [{"id": "w1"}]


def wait_for(condition: Callable[[], Any], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


def test_a_server_error_on_evaluate_fails_the_job(worker: WorkerClient, tmp_path: Path) -> None:
    def refuse(params: Any) -> Any:
        raise ValueError("dev set changed")

    worker.server_handlers["evaluate/entities"] = refuse
    response = worker.request("train/entities", train_params(tmp_path / "ner", make_examples(40, seed=1), make_examples(10, seed=2), epochs=2), timeout=60)

    assert "evaluate/entities" in response["error"]["message"] and "dev set changed" in response["error"]["message"]
    assert leftovers(tmp_path) == []


def test_without_dev_data_all_epochs_run_and_the_last_is_saved(worker: WorkerClient, tmp_path: Path) -> None:
    response = worker.request("train/entities", train_params(tmp_path / "ner", make_examples(64, seed=1), [], epochs=3), timeout=60)
    result = response["result"]
    assert [r["epoch"] for r in result["epochs"]] == [1, 2, 3] and result["bestEpoch"] == 3
    assert result["bestDevMetric"] is None and all(r["devMetric"] is None for r in result["epochs"])
    assert "onnx" not in result and worker.server_requests == []
    assert leftovers(tmp_path) == ["ner"]


def test_existing_output_folder_is_refused(worker: WorkerClient, tmp_path: Path) -> None:
    (tmp_path / "ner").mkdir()
    error = worker.request("train/entities", train_params(tmp_path / "ner", make_examples(8, seed=1), []))["error"]
    assert error["code"] == -32602 and "already exists" in error["message"]


def credit_job(output: Path) -> Dict[str, Any]:
    """A tiny train/credit job with a dev set, so its epoch asks the server for the dev metric."""
    examples = [{"inputIds": [3 + i % 7, 4, 5 + i % 3], "label": i % 2} for i in range(8)]
    return {
        "jobId": "job-" + output.name,
        "base": {"kind": "tiny", "vocabSize": 64},
        "labelTokenIds": [1, 2],
        "train": examples,
        "dev": examples[:4],
        "hyper": {"epochs": 1, "batchSize": 4},
        "output": {"dir": str(output), "files": {}, "card": {}},
    }


@pytest.mark.parametrize("trainer", ["entities", "credit"])
def test_a_metric_answer_without_a_number_fails_either_trainer_naming_the_answer(worker: WorkerClient, tmp_path: Path, trainer: str) -> None:
    for n, answer in enumerate([{"name": "rocAuc"}, {"metric": "0.9", "name": "rocAuc"}, None]):
        worker.server_handlers[f"evaluate/{trainer}"] = lambda params: answer
        output = tmp_path / f"model{n}"
        params = train_params(output, make_examples(40, seed=1), make_examples(10, seed=2), epochs=1) if trainer == "entities" else credit_job(output)
        error = worker.request(f"train/{trainer}", params, timeout=120)["error"]
        assert error["code"] == INTERNAL and f"evaluate/{trainer} answered {answer!r}; expected {{metric: number, name}}" in error["message"], error
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(
    "example, message",
    [
        ({"inputIds": [1, 2], "labelIds": [0]}, "train[0].labelIds must be a list of 2 integers"),
        ({"inputIds": [1, 2], "labelIds": [0, 9]}, "train[0].labelIds has 9"),
        ({"inputIds": [1, 500], "labelIds": [0, 0]}, "train[0].inputIds[1] = 500 is outside the model's vocabulary of 120 tokens"),
        ({"inputIds": list(range(1, 80)), "labelIds": [0] * 79}, "train[0].inputIds has 79 tokens; the model takes at most 64"),
    ],
)
def test_bad_examples_are_reported_with_their_place(worker: WorkerClient, tmp_path: Path, example: Dict[str, Any], message: str) -> None:
    error = worker.request("train/entities", train_params(tmp_path / "ner", [example], []))["error"]
    assert error["code"] == -32602 and message in error["message"], error
    assert leftovers(tmp_path) == []
