"""train/entities with hyper.processes = 2: DistributedDataParallel under torchrun (gloo on CPU)
gives the same training as one process on the same global batches. The launcher, the relay and the
training loop are the GPU path's (ddp.py, ddp_main.py); on CUDA only the backend (nccl) and the
device differ, hence the cuda_path_on_cpu marker."""

import json
from pathlib import Path
from typing import Any, Callable, Dict

import pytest
from entity_task import VOCAB_SIZE, entity_token_accuracy, make_examples, train_params
from worker_client import WorkerClient

pytestmark = pytest.mark.cuda_path_on_cpu

# Two processes each sum their tokens' losses over the global batch's token count, so the loss and
# the gradients equal one process's up to float summation order (measured: about 1e-7 apart).
LOSS_RELATIVE_TOLERANCE = 1e-5
WEIGHT_TOLERANCE = 1e-5


def save_tiny_bert_without_dropout(folder: Path) -> None:
    """Dropout draws different masks in one process and in two; without it the runs must agree."""
    from transformers import BertConfig, BertModel

    config = BertConfig(
        vocab_size=VOCAB_SIZE,
        hidden_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=64,
        hidden_dropout_prob=0.0,
        attention_probs_dropout_prob=0.0,
    )
    BertModel(config).save_pretrained(str(folder))


def train(worker: WorkerClient, tmp_path: Path, name: str, processes: int) -> Dict[str, Any]:
    dev = make_examples(16, seed=2)
    worker.server_handlers["evaluate/entities"] = lambda p: {"metric": entity_token_accuracy(dev, p["predictions"]), "name": "stand-in"}
    base = {"kind": "folder", "path": str(tmp_path / "base")}
    # 37 examples, batch 8: the last global batch has 5 examples, split 3 + 2 between the processes.
    # device cpu: gloo, also on a GPU machine (one process per GPU there; bench/h100_check.sh runs nccl).
    params = train_params(tmp_path / name, make_examples(37, seed=1), dev, base=base, epochs=2, batchSize=8, processes=processes, patience=0, device="cpu")
    response = worker.request("train/entities", params, timeout=150)
    assert "result" in response, f"{response}\n{worker.stderr[-4000:]}"
    return response["result"]


def weights(folder: Path) -> Dict[str, Any]:
    from safetensors.torch import load_file

    return load_file(str(folder / "model.safetensors"))


def test_two_processes_train_like_one(python_with_torch: str, start_worker: Callable[..., WorkerClient], tmp_path: Path) -> None:
    save_tiny_bert_without_dropout(tmp_path / "base")
    worker = start_worker(python_with_torch, extra_env={"OMP_NUM_THREADS": "1"})

    single = train(worker, tmp_path, "one", processes=1)
    double = train(worker, tmp_path, "two", processes=2)

    for a, b in zip(single["epochs"], double["epochs"]):
        assert abs(a["trainLoss"] - b["trainLoss"]) <= LOSS_RELATIVE_TOLERANCE * a["trainLoss"], (single["epochs"], double["epochs"])
        assert abs(a["devMetric"] - b["devMetric"]) < 1e-9
    one, two = weights(tmp_path / "one"), weights(tmp_path / "two")
    assert one.keys() == two.keys()
    largest = max(float((one[k] - two[k]).abs().max()) for k in one)
    assert largest < WEIGHT_TOLERANCE, largest
    # The relay carried rank 0's progress and its dev-metric requests; rank 0 wrote the model.
    requests = [r for r in worker.server_requests if r["method"] == "evaluate/entities"]
    assert [r["params"]["epoch"] for r in requests] == [1, 2, 1, 2]
    assert any(p["phase"] == "train" and p["jobId"] == "job-two" for p in worker.progress)
    card = json.loads((tmp_path / "two" / "card.json").read_text())
    assert card["training"]["hyperparameters"]["processes"] == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["base", "one", "two"]


def test_cancel_stops_every_process_and_leaves_no_folder(python_with_torch: str, start_worker: Callable[..., WorkerClient], tmp_path: Path) -> None:
    worker = start_worker(python_with_torch, extra_env={"OMP_NUM_THREADS": "1"})
    params = train_params(tmp_path / "ner", make_examples(2000, seed=5), [], epochs=50, batchSize=8, processes=2, device="cpu")
    job_id = worker.send_request("train/entities", params)
    worker.wait_for_progress(lambda p: p["phase"] == "train" and p["step"] >= 2, timeout=90)

    worker.send({"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": job_id}})

    answer = worker.next_message()
    assert answer["id"] == job_id and answer["error"]["code"] == -32800
    assert list(tmp_path.iterdir()) == []
    assert worker.request("deviceInfo")["result"]["device"] in ("cpu", "cuda")


def test_cuda_without_a_gpu_or_with_too_few_is_refused_before_torchrun(
    python_with_torch: str, start_worker: Callable[..., WorkerClient], tmp_path: Path
) -> None:
    worker = start_worker(python_with_torch, extra_env={"OMP_NUM_THREADS": "1"})
    import torch

    count = torch.cuda.device_count() if torch.cuda.is_available() else 0
    params = train_params(tmp_path / "ner", make_examples(8, seed=5), [], epochs=1, batchSize=4, processes=count + 1, device="cuda")
    error = worker.request("train/entities", params, timeout=60)["error"]
    assert error["code"] == -32602
    if count == 0:
        assert error["message"] == "hyper.device is cuda, but PyTorch sees no CUDA device"
    else:
        assert error["message"].startswith(f"hyper.processes is {count + 1}, but there ")
    assert not any(p["phase"] == "load" for p in worker.progress) and list(tmp_path.iterdir()) == []
