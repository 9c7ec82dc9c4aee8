"""train/entities, predict/entities and export/entities over the real protocol, on a tiny BERT."""

import json
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest
from conftest import cuda_available
from entity_task import LABELS, entity_token_accuracy, make_examples, train_params
from worker_client import WorkerClient

# One intra-op thread: on a small shared machine, two threads fighting over busy cores are ~10x slower.
ONE_THREAD = {"OMP_NUM_THREADS": "1"}


@pytest.fixture(scope="module")
def trained(python_with_torch: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dict[str, Any]]:
    """One worker trains one model for all tests of this file (training is the slow part)."""
    worker = WorkerClient(python_with_torch, extra_env=ONE_THREAD)
    train, dev, held_out = make_examples(800, seed=1), make_examples(100, seed=2), make_examples(200, seed=3)
    evaluations: List[Dict[str, Any]] = []

    def evaluate(params: Dict[str, Any]) -> Dict[str, Any]:
        evaluations.append(params)
        return {"metric": entity_token_accuracy(dev, params["predictions"]), "name": "entity-token accuracy (test stand-in)"}

    worker.server_handlers["evaluate/entities"] = evaluate
    output = tmp_path_factory.mktemp("models") / "ner"
    response = worker.request("train/entities", train_params(output, train, dev, export={"onnx": True, "quantize": True}, epochs=12, patience=3), timeout=170)
    yield {
        "worker": worker,
        "response": response,
        "output": output,
        "evaluations": evaluations,
        "held_out": held_out,
    }
    worker.kill()


def test_tiny_bert_learns_the_synthetic_task(trained: Dict[str, Any]) -> None:
    result = trained["response"].get("result")
    assert result is not None, trained["response"]
    held_out = trained["held_out"]
    worker: WorkerClient = trained["worker"]

    predicted = worker.request("predict/entities", {"modelDir": str(trained["output"]), "batch": [e["inputIds"] for e in held_out]})["result"]

    assert entity_token_accuracy(held_out, predicted["labelIds"]) >= 0.9
    for ids, probabilities, example in zip(predicted["labelIds"], predicted["probabilities"], held_out):
        assert len(ids) == len(probabilities) == len(example["inputIds"])
        assert all(0 <= i < len(LABELS) for i in ids) and all(1 / len(LABELS) <= p <= 1 for p in probabilities)


def test_each_epoch_is_scored_by_the_server_and_the_best_is_kept(trained: Dict[str, Any]) -> None:
    result = trained["response"]["result"]
    evaluations = trained["evaluations"]
    assert [e["epoch"] for e in evaluations] == [r["epoch"] for r in result["epochs"]]
    assert all(e["jobId"] == "job-ner" and len(e["predictions"]) == 100 for e in evaluations)
    metrics = [r["devMetric"] for r in result["epochs"]]
    assert result["bestDevMetric"] == max(metrics)
    assert result["bestEpoch"] == result["epochs"][metrics.index(max(metrics))]["epoch"]
    assert result["epochs"][-1]["trainLoss"] < result["epochs"][0]["trainLoss"]
    # Early stopping: all 12 epochs, or exactly `patience` (3) epochs without a better metric.
    assert len(metrics) == 12 or len(metrics) == result["bestEpoch"] + 3
    assert result["modelDir"] == str(trained["output"])
    if cuda_available():
        assert result["device"] == "cuda" and result["peakMemoryBytes"] > 0 and result["samplesPerSecond"] > 0
    else:
        assert result["device"] == "cpu" and result["peakMemoryBytes"] is None and result["samplesPerSecond"] > 0


def test_progress_reports_steps_and_loss(trained: Dict[str, Any]) -> None:
    progress = trained["worker"].progress
    phases = [p["phase"] for p in progress]
    assert phases[0] == "load" and {"train", "evaluate", "export", "save"} <= set(phases)
    first_epoch = [p for p in progress if p["phase"] == "train" and p["epoch"] == 1]
    steps = [p["step"] for p in first_epoch]
    assert steps == sorted(set(steps)) and steps[-1] == first_epoch[-1]["steps"] == 25  # 800 / 32, last step always sent
    assert all(isinstance(p["loss"], float) and p["learningRate"] > 0 and p["epochs"] == 12 for p in first_epoch)
    assert all(p["jobId"] == "job-ner" for p in progress)
    assert set(progress[0]) >= {
        "jobId",
        "phase",
        "epoch",
        "epochs",
        "step",
        "steps",
        "loss",
        "learningRate",
        "samplesPerSecond",
        "etaSeconds",
        "gpuMemoryBytes",
    }


def test_model_folder_holds_weights_files_card_and_onnx(trained: Dict[str, Any]) -> None:
    output: Path = trained["output"]
    result = trained["response"]["result"]
    names = {p.name for p in output.iterdir()}
    assert {"config.json", "model.safetensors", "labels.json", "tokenizer.json", "card.json", "model.onnx", "model.int8.onnx"} <= names
    assert not any(name.endswith((".bin", ".pt")) for name in names)
    assert [p.name for p in output.parent.iterdir() if ".partial-" in p.name] == []
    config = json.loads((output / "config.json").read_text())
    assert config["id2label"] == {str(i): name for i, name in enumerate(LABELS)}
    card = json.loads((output / "card.json").read_text())
    assert card["dataHash"] == "sha256:test"
    assert card["training"]["bestEpoch"] == result["bestEpoch"] and card["training"]["hyperparameters"]["learningRate"] == 2e-3
    assert {"torch", "transformers", "onnxruntime"} <= set(card["training"]["versions"])


def test_onnx_export_matches_pytorch_and_int8_is_reported(trained: Dict[str, Any]) -> None:
    onnx = trained["response"]["result"]["onnx"]
    output: Path = trained["output"]
    assert onnx["path"] == str(output / "model.onnx") and onnx["bytes"] == (output / "model.onnx").stat().st_size
    assert onnx["maxAbsDiff"] < 1e-4
    quantized = onnx["quantized"]
    assert quantized["path"] == str(output / "model.int8.onnx")
    assert quantized["bytes"] < onnx["bytes"]
    assert 0.9 <= quantized["argmaxAgreement"] <= 1 and quantized["maxAbsDiff"] > 0


def test_export_job_re_exports_a_saved_model(trained: Dict[str, Any]) -> None:
    worker: WorkerClient = trained["worker"]
    output: Path = trained["output"]
    (output / "model.onnx").unlink()
    (output / "model.int8.onnx").unlink()

    result = worker.request("export/entities", {"jobId": "export-1", "modelDir": str(output), "quantize": False}, timeout=60)["result"]

    assert result["maxAbsDiff"] < 1e-4 and "quantized" not in result
    assert (output / "model.onnx").is_file() and not (output / "model.int8.onnx").exists()
    assert json.loads((output / "card.json").read_text())["export"]["maxAbsDiff"] == result["maxAbsDiff"]
    assert sorted(p.name for p in output.iterdir() if p.name.startswith(".")) == []


def test_predict_reports_bad_input(trained: Dict[str, Any]) -> None:
    worker: WorkerClient = trained["worker"]
    output = str(trained["output"])
    error = worker.request("predict/entities", {"modelDir": output, "batch": [[1, 500, 2]]})["error"]
    assert error["code"] == -32602 and "batch[0]" in error["message"] and "vocabulary of 120" in error["message"]
    error = worker.request("predict/entities", {"modelDir": output, "batch": [list(range(1, 70))]})["error"]
    assert "69 tokens" in error["message"] and "at most 64" in error["message"]
    error = worker.request("predict/entities", {"modelDir": output + "-missing", "batch": [[1, 2]]})["error"]
    assert error["code"] == -32013


def test_the_export_keeps_library_info_logs_out_of_the_editor_log(trained: Dict[str, Any]) -> None:
    # The worker's stderr is the editor's log: ONNX Runtime's quantizer used to write hundreds of INFO lines there.
    worker: WorkerClient = trained["worker"]
    assert trained["response"].get("result", {}).get("onnx", {}).get("quantized"), "the model was quantized"
    lines = [line for line in worker.stderr.splitlines() if " INFO " in line]
    assert lines, "the worker's own INFO messages are still logged"
    assert all(" INFO finlabel_worker" in line for line in lines), [line for line in lines if " INFO finlabel_worker" not in line][:5]
