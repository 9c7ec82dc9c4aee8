"""The branches only CUDA takes in the product, run on the CPU (a GPU machine is rare): bf16 autocast through a
training step and a scoring batch of both tiny models, fused AdamW (the CPU's optimizer too, since
2026-12-07), and the OUT_OF_MEMORY answer
driven by a real torch.cuda.OutOfMemoryError. They go through the same helpers the CUDA path uses
(train_common.autocast, make_optimizer, out_of_memory_as_error), asked to take CUDA's branch on the
CPU: by argument, or by the test switch FINLABEL_WORKER_CPU_AS_CUDA=1 where a whole trainer runs.
On a GPU only the device differs. (DDP with gloo: test_entities_ddp.py; the GPU benchmark's smoke
run: test_gpu_benchmark_smoke.py; the 4-bit refusals: the end of this file.)"""

import sys
import types
from pathlib import Path
from typing import Any, Callable, Dict, Tuple

import pytest
from entity_task import LABELS, TINY_BASE, make_examples, train_params
from local_job import LocalJob
from worker_client import WorkerClient

torch = pytest.importorskip("torch")
pytest.importorskip("peft")

from finlabel_worker import train_common  # noqa: E402
from finlabel_worker.credit import train_credit  # noqa: E402
from finlabel_worker.credit.model import attach_lora, load_base  # noqa: E402
from finlabel_worker.credit.params import parse_base, parse_lora  # noqa: E402
from finlabel_worker.credit.score import predict_probabilities  # noqa: E402
from finlabel_worker.credit.train import train_step  # noqa: E402
from finlabel_worker.entities import train as entity_train  # noqa: E402
from finlabel_worker.entities.model import build_model  # noqa: E402
from finlabel_worker.entities.predict import predict_label_ids  # noqa: E402
from finlabel_worker.errors import RpcError  # noqa: E402

pytestmark = pytest.mark.cuda_path_on_cpu  # registered in conftest.py

CPU = torch.device("cpu")
# bf16 keeps 8 bits of mantissa (relative rounding 2^-8 = 0.4%). Measured on these tiny models: the
# training loss moved by 6e-5 (entity) and 6e-4 (credit) relative, a credit probability by 6e-4.
LOSS_RELATIVE_TOLERANCE = 1e-2
PROBABILITY_TOLERANCE = 2e-2
# Adam's first step moves each weight by about lr * sign(gradient): bf16 rounding may flip the sign
# of a gradient near 0 only. Among the weights the fp32 step moved by more than lr / 2, the bf16
# step moves at least this share the same way (measured: 99.9%).
SAME_DIRECTION_SHARE = 0.99
# Fused and unfused AdamW do the same arithmetic in another order (fp32).
FUSED_TOLERANCE = 1e-6
QWEN2_VOCAB = 151646
LABEL_TOKENS = (15, 16)


@pytest.fixture(autouse=True)
def one_thread_and_fp32_by_default(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.delenv(train_common.CPU_AS_CUDA_ENV, raising=False)
    monkeypatch.delenv(train_common.FAULT_ENV, raising=False)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


# ---- the helpers: CUDA's branch on the CPU when asked, the product's CPU behaviour otherwise ----------


def test_cuda_path_on_cpu_helpers_take_cudas_branch_only_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    hyper = train_common.parse_hyper({})
    layer = torch.nn.Linear(4, 4)
    # The product on a CPU: fp32; AdamW is fused on every device (unfused only when asked, as a reference).
    assert not train_common.uses_bf16(CPU, True)
    assert not isinstance(train_common.autocast(CPU, True), torch.autocast)
    assert train_common.make_optimizer(list(layer.parameters()), hyper, CPU).defaults["fused"] is True
    assert not train_common.make_optimizer(list(layer.parameters()), hyper, CPU, fused=False).defaults.get("fused")
    # Asked by argument.
    assert isinstance(train_common.autocast(CPU, True, cpu_as_cuda_paths=True), torch.autocast)
    assert not isinstance(train_common.autocast(CPU, False, cpu_as_cuda_paths=True), torch.autocast)
    # Asked by the test switch (what a trainer run in a test uses).
    monkeypatch.setenv(train_common.CPU_AS_CUDA_ENV, "1")
    assert train_common.uses_bf16(CPU, True) and not train_common.uses_bf16(CPU, False)
    with train_common.autocast(CPU, True):
        assert torch.is_autocast_enabled("cpu") and torch.get_autocast_dtype("cpu") == torch.bfloat16


# ---- fused AdamW ------------------------------------------------------------------------------------


def test_cuda_path_on_cpu_fused_adamw_matches_the_unfused_optimizer() -> None:
    """make_optimizer(fused=True), the optimizer CUDA trains with, against fused=False on the same
    gradients: three steps of a tiny BERT (decay and no-decay groups, warmup schedule)."""
    train_common.seed_everything(3)
    fused_model = build_model(TINY_BASE, LABELS)
    plain_model = build_model(TINY_BASE, LABELS)
    plain_model.load_state_dict(fused_model.state_dict())
    initial = [p.detach().clone() for p in fused_model.parameters()]
    hyper = train_common.parse_hyper({"learningRate": 1e-3, "weightDecay": 0.01})
    optimizers = []
    for model, fused in ((fused_model, True), (plain_model, False)):
        optimizer = train_common.make_optimizer(list(model.parameters()), hyper, CPU, fused=fused)
        optimizers.append((model, optimizer, train_common.make_schedule(optimizer, 10, 0.2)))
    assert optimizers[0][1].defaults["fused"] is True and not optimizers[1][1].defaults.get("fused")
    assert len(optimizers[0][1].param_groups) == 2

    generator = torch.Generator().manual_seed(0)
    for _ in range(3):
        gradients = [torch.randn(p.shape, generator=generator) for p in fused_model.parameters()]
        for model, optimizer, schedule in optimizers:
            for p, g in zip(model.parameters(), gradients):
                p.grad = g.clone()
            optimizer.step()
            schedule.step()
            optimizer.zero_grad(set_to_none=True)
    largest = max(float((a - b).detach().abs().max()) for a, b in zip(fused_model.parameters(), plain_model.parameters()))
    moved = max(float((a - b).detach().abs().max()) for a, b in zip(fused_model.parameters(), initial))
    assert largest <= FUSED_TOLERANCE, largest
    assert moved > 100 * FUSED_TOLERANCE, "the optimizer moved the weights"


# ---- bf16 autocast: the entity model ----------------------------------------------------------------


# The worker's tiny default (a small BERT) and the server's (the character BiLSTM, TINY_ENTITY_BASE).
ENTITY_BASES = {"bert": TINY_BASE, "bilstm": {"kind": "tiny", "architecture": "bilstm", "vocabSize": TINY_BASE["vocabSize"], "hiddenSize": 64}}


def entity_step(
    tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch, cuda_paths: bool, base: Dict[str, Any]
) -> Tuple[Dict[str, Any], Dict[str, Any], Dict[str, Any]]:
    """One optimizer step of the real train/entities job (32 examples, batch 32, no warmup) on the
    CPU; with `cuda_paths`, under the test switch. Returns the result, the saved weights and what the
    trainer's helpers handed out."""
    from safetensors.torch import load_file

    monkeypatch.setenv(train_common.CPU_AS_CUDA_ENV, "1" if cuda_paths else "0")
    seen: Dict[str, Any] = {}
    real_optimizer, real_autocast = train_common.make_optimizer, train_common.autocast  # what the trainer imports

    def spy_optimizer(*args: Any, **kwargs: Any) -> Any:
        optimizer = real_optimizer(*args, **kwargs)
        seen["fused"] = bool(optimizer.defaults.get("fused"))
        return optimizer

    def spy_autocast(*args: Any, **kwargs: Any) -> Any:
        context = real_autocast(*args, **kwargs)
        seen["autocast"] = isinstance(context, torch.autocast)
        return context

    monkeypatch.setattr(entity_train, "make_optimizer", spy_optimizer)
    monkeypatch.setattr(entity_train, "autocast", spy_autocast)
    params = train_params(tmp_path / name, make_examples(32, seed=1), [], base=base, epochs=1, batchSize=32, patience=0, warmupRatio=0.0, device="cpu")
    result = entity_train.train_entities(params, LocalJob())
    return result, load_file(str(tmp_path / name / "model.safetensors")), seen


@pytest.mark.parametrize("architecture", sorted(ENTITY_BASES))
def test_cuda_path_on_cpu_bf16_entity_training_step_and_scoring_match_fp32(architecture: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    base = ENTITY_BASES[architecture]
    fp32, fp32_weights, fp32_seen = entity_step(tmp_path, "fp32", monkeypatch, cuda_paths=False, base=base)
    bf16, bf16_weights, bf16_seen = entity_step(tmp_path, "bf16", monkeypatch, cuda_paths=True, base=base)
    assert fp32_seen == {"fused": True, "autocast": False}  # fused AdamW on every device; bf16 autocast only on CUDA's path
    assert bf16_seen == {"fused": True, "autocast": True}

    loss32, loss16 = fp32["epochs"][0]["trainLoss"], bf16["epochs"][0]["trainLoss"]
    assert 0 < abs(loss16 - loss32) <= LOSS_RELATIVE_TOLERANCE * loss32, (loss32, loss16)
    train_common.seed_everything(7)  # train_params' seed: the weights both runs started from
    initial = build_model(base, LABELS).state_dict()
    same = decisive = 0
    for key, start in initial.items():
        moved32, moved16 = fp32_weights[key] - start, bf16_weights[key] - start
        big = moved32.abs() > 1e-3  # lr 2e-3: the steps Adam took with conviction
        decisive += int(big.sum())
        same += int((big & (moved32.sign() == moved16.sign())).sum())
    assert decisive > 1000 and same / decisive >= SAME_DIRECTION_SHARE, (same, decisive)

    # One scoring batch: predict/entities' own function, bf16 autocast on the CPU against fp32.
    model = build_model(base, LABELS)
    model.load_state_dict(initial)
    sequences = [e["inputIds"] for e in make_examples(24, seed=5)]
    labels32, p32 = predict_label_ids(model, sequences, CPU, bf16=True)  # the switch is on: bf16
    monkeypatch.setenv(train_common.CPU_AS_CUDA_ENV, "0")
    labels_fp32, p_fp32 = predict_label_ids(model, sequences, CPU, bf16=True)
    # Probabilities are compared where both chose the same tag: with a CRF a token's probability is the
    # marginal of the tag on the best path, and where a near tie flips that path it is another tag's.
    pairs = [
        (a, b, t16 == t32) for row16, row32, tags16, tags32 in zip(p32, p_fp32, labels32, labels_fp32) for a, b, t16, t32 in zip(row16, row32, tags16, tags32)
    ]
    differences = [abs(a - b) for a, b, same in pairs if same]
    assert 0 < max(differences) <= PROBABILITY_TOLERANCE, max(differences)
    assert len(differences) / len(pairs) >= 0.9  # a random model's near ties may flip


# ---- bf16 autocast: the credit model ----------------------------------------------------------------


def credit_model(bf16: bool) -> Any:
    """The tiny Qwen2 as train/credit builds it on CUDA (bf16 base weights) or on the CPU (fp32)."""
    base = load_base(parse_base({"kind": "tiny", "vocabSize": QWEN2_VOCAB}), CPU, torch.bfloat16 if bf16 else torch.float32, False, seed=11)
    return attach_lora(base, parse_lora({}), gradient_checkpointing=False)


def test_cuda_path_on_cpu_bf16_credit_training_step_and_scoring_match_fp32(monkeypatch: pytest.MonkeyPatch) -> None:
    """credit.train.train_step (the function bench/gpu_training.py times on the GPU) and the scorer,
    with bf16 base weights under bf16 autocast on the CPU, against the fp32 CPU path."""
    generator = torch.Generator().manual_seed(0)
    ids = torch.randint(1000, 150000, (8, 24), generator=generator)
    lengths = torch.tensor([24, 20, 18, 24, 12, 9, 22, 16])
    targets = torch.tensor([0, 1, 1, 0, 1, 0, 0, 1])
    labels = torch.tensor(LABEL_TOKENS)
    hyper = train_common.parse_hyper({"learningRate": 1e-3})
    losses, adapters, probabilities = {}, {}, {}
    for bf16 in (False, True):
        model = credit_model(bf16)
        trainable = [p for p in model.parameters() if p.requires_grad]
        assert all(p.dtype == torch.float32 for p in trainable)  # PEFT keeps the adapter in fp32
        optimizer = train_common.make_optimizer(list(model.parameters()), hyper, CPU, fused=bf16)
        schedule = train_common.make_schedule(optimizer, 10, 0.0)
        monkeypatch.setenv(train_common.CPU_AS_CUDA_ENV, "1" if bf16 else "0")  # autocast's choice inside train_step
        losses[bf16] = float(train_step(model, optimizer, schedule, trainable, ids, lengths, targets, labels, bf16=True))
        adapters[bf16] = {n: p.detach().clone() for n, p in model.named_parameters() if p.requires_grad}
        prompts = [row[: int(n)] for row, n in zip(ids.tolist(), lengths)]
        probabilities[bf16] = predict_probabilities(model, prompts, LABEL_TOKENS, CPU, bf16=True)
    assert 0 < abs(losses[True] - losses[False]) <= LOSS_RELATIVE_TOLERANCE * losses[False], losses
    # LoRA's B starts at zero, so the first step moves B only, by about lr each: the same way in both.
    same = decisive = 0
    for name, after32 in adapters[False].items():
        if "lora_B" in name:
            big = after32.abs() > 5e-4
            decisive += int(big.sum())
            same += int((big & (after32.sign() == adapters[True][name].sign())).sum())
    assert decisive > 100 and same / decisive >= SAME_DIRECTION_SHARE, (same, decisive)
    difference = max(abs(a - b) for a, b in zip(probabilities[True], probabilities[False]))
    assert 0 < difference <= PROBABILITY_TOLERANCE, difference


# ---- OUT_OF_MEMORY from a real torch.cuda.OutOfMemoryError inside a training step ---------------------


def test_cuda_path_on_cpu_fault_spec_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    train_common.injected_fault(1, 8)  # unset: nothing
    monkeypatch.setenv(train_common.FAULT_ENV, "oom-at-step:2,batch-over:4")
    train_common.injected_fault(1, 8)
    train_common.injected_fault(2, 4)
    with pytest.raises(torch.cuda.OutOfMemoryError, match="injected by FINLABEL_WORKER_FAULT"):
        train_common.injected_fault(2, 8)
    monkeypatch.setenv(train_common.FAULT_ENV, "oom-somewhere")
    with pytest.raises(ValueError, match="oom-at-step:N"):
        train_common.injected_fault(1, 8)


def test_cuda_path_on_cpu_out_of_memory_in_an_entity_step_answers_over_the_protocol(
    python_with_torch: str, start_worker: Callable[..., WorkerClient], tmp_path: Path
) -> None:
    """FINLABEL_WORKER_FAULT makes the second step of train/entities raise a real
    torch.cuda.OutOfMemoryError; the worker answers OUT_OF_MEMORY naming the batch size and the one
    to try, keeps no folder, and goes on serving. With batch-over:4, batch 4 trains."""
    worker = start_worker(python_with_torch, extra_env={"OMP_NUM_THREADS": "1", "FINLABEL_WORKER_FAULT": "oom-at-step:2,batch-over:4"})
    train = make_examples(24, seed=1)
    response = worker.request("train/entities", train_params(tmp_path / "ner8", train, [], epochs=1, batchSize=8, device="cpu"), timeout=120)
    error = response.get("error")
    assert error is not None, response
    assert error["code"] == -32012
    assert error["data"] == {"batchSize": 8, "memoryBytes": None}
    assert error["message"].startswith("CUDA ran out of memory with batch size 8; try 4 (CUDA out of memory. Tried to allocate"), error
    assert "injected by FINLABEL_WORKER_FAULT" in error["message"]
    assert not (tmp_path / "ner8").exists() and list(tmp_path.iterdir()) == []
    assert [p["step"] for p in worker.progress if p["phase"] == "train"] == [1]  # step 2 never finished

    response = worker.request("train/entities", train_params(tmp_path / "ner4", train, [], epochs=1, batchSize=4, device="cpu"), timeout=120)
    assert "result" in response, response
    assert (tmp_path / "ner4" / "model.safetensors").is_file()


def test_cuda_path_on_cpu_out_of_memory_in_a_credit_step(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(train_common.FAULT_ENV, "oom-at-step:1")
    examples = [{"inputIds": [1000 + i, 2000 + i, 3000], "label": i % 2} for i in range(6)]
    params = {
        "jobId": "job-oom",
        "base": {"kind": "tiny", "vocabSize": QWEN2_VOCAB},
        "labelTokenIds": list(LABEL_TOKENS),
        "train": examples,
        "dev": [],
        "lora": {},
        "hyper": {"epochs": 1, "batchSize": 6, "device": "cpu"},
        "memory": {},
        "output": {"dir": str(tmp_path / "credit"), "files": {}, "card": {}},
    }
    with pytest.raises(RpcError) as error:
        train_credit(params, LocalJob())
    assert error.value.code == -32012 and error.value.data == {"batchSize": 6, "memoryBytes": None}
    assert error.value.message.startswith("CUDA ran out of memory with batch size 6; try 3 (")
    assert not (tmp_path / "credit").exists()


# ---- 4-bit: the refusals a CPU can reach --------------------------------------------------------------


def four_bit_params(tmp_path: Path) -> Dict[str, Any]:
    return {
        "jobId": "job-4bit",
        "base": {"kind": "tiny", "vocabSize": QWEN2_VOCAB},
        "labelTokenIds": list(LABEL_TOKENS),
        "train": [{"inputIds": [1000, 2000], "label": 0}, {"inputIds": [1001, 2001], "label": 1}],
        "dev": [],
        "lora": {},
        "hyper": {"epochs": 1, "device": "cpu"},
        "memory": {"fourBit": True},
        "output": {"dir": str(tmp_path / "credit"), "files": {}, "card": {}},
    }


def test_cuda_path_on_cpu_four_bit_without_bitsandbytes_names_the_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "bitsandbytes", None)  # import fails, whether or not it is installed
    with pytest.raises(RpcError) as error:
        train_credit(four_bit_params(tmp_path), LocalJob())
    assert error.value.code == -32010 and error.value.data == {"package": "bitsandbytes"}
    assert "memory.fourBit needs the Python package 'bitsandbytes'" in error.value.message
    assert "pip install bitsandbytes" in error.value.message and "needs a CUDA GPU" in error.value.message
    assert not (tmp_path / "credit").exists()


def test_cuda_path_on_cpu_four_bit_without_cuda_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """bitsandbytes importable (a stand-in module here), but no CUDA device: refused before loading."""
    monkeypatch.setitem(sys.modules, "bitsandbytes", types.ModuleType("bitsandbytes"))
    with pytest.raises(RpcError) as error:
        train_credit(four_bit_params(tmp_path), LocalJob())
    assert error.value.code == -32602
    assert error.value.message == "memory.fourBit needs a CUDA GPU (bitsandbytes 4-bit runs on CUDA only)"
    assert not (tmp_path / "credit").exists()
