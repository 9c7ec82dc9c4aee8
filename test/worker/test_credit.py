"""The credit trainer and scorer (finlabel_worker.credit) on a tiny random Qwen2 with the real
Qwen2 vocabulary size, learning a synthetic credit rule. Runs on CPU in about half a minute."""

import json
import random
from pathlib import Path
from typing import Any, Dict, List

import pytest
from conftest import cuda_available
from local_job import LocalJob, roc_auc

torch = pytest.importorskip("torch")
pytest.importorskip("peft")

from finlabel_worker.credit import score as score_module  # noqa: E402
from finlabel_worker.credit import score_credit, train_credit  # noqa: E402
from finlabel_worker.credit.loss import batch_tensors, label_logits  # noqa: E402
from finlabel_worker.credit.model import attach_lora, load_base  # noqa: E402
from finlabel_worker.credit.params import parse_base, parse_lora  # noqa: E402
from finlabel_worker.errors import RpcError  # noqa: E402
from finlabel_worker.job import Cancelled  # noqa: E402

QWEN2_VOCAB = 151646  # the real Qwen2 tokenizer's size, as the server sends it
ZERO, ONE = 15, 16  # Qwen2 ids of "0" and "1"
DIGITS = list(range(15, 25))  # "0".."9": the prompt's numbers use the label tokens too, as real prompts do
TAX_MARK = 100000  # stands for the template's "纳税额" tokens
QUESTION = [50000, 50001]  # the fixed question closing every prompt


def credit_example(rng: random.Random) -> Dict[str, Any]:
    """Random filler ids, the tax marker followed by one digit somewhere, a fixed question; the
    enterprise defaults (label 1) when that digit is 5 or more."""
    digit = rng.randrange(10)
    filler = [rng.randrange(1000, 150000) for _ in range(rng.randrange(15, 35))]
    at = rng.randrange(2, len(filler) - 2)
    ids = filler[:at] + [TAX_MARK, DIGITS[digit]] + filler[at:] + QUESTION
    return {"inputIds": ids, "label": 1 if digit >= 5 else 0}


def dataset(seed: int, count: int) -> List[Dict[str, Any]]:
    rng = random.Random(seed)
    return [credit_example(rng) for _ in range(count)]


def train_params(out: Path, train: List[Dict[str, Any]], dev: List[Dict[str, Any]], **overrides: Any) -> Dict[str, Any]:
    params: Dict[str, Any] = {
        "jobId": "job-1",
        "base": {"kind": "tiny", "vocabSize": QWEN2_VOCAB},
        "labelTokenIds": [ZERO, ONE],
        "train": train,
        "dev": dev,
        "lora": {},
        "hyper": {"learningRate": 1e-3, "epochs": 8, "batchSize": 16, "patience": 0},
        "memory": {},
        "output": {
            "dir": str(out),
            "files": {"prompt_template.txt": "企业信贷审批评估: 纳税额{纳税额}万元 😀𠀋\r\n", "imputation.json": '{"纳税额": 12.5}'},
            "card": {"kind": "credit", "dataHash": "sha256:abc", "training": {"split": "8:2 stratified"}},
        },
    }
    params.update(overrides)
    return params


@pytest.fixture(scope="module", autouse=True)
def one_torch_thread() -> Any:
    """The tiny model gains nothing from a second thread, and on a shared 2-core machine two
    spinning OpenMP threads made training 7x slower; restored after this module."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Dict[str, Any]:
    train, dev = dataset(1, 600), dataset(2, 200)
    out = tmp_path_factory.mktemp("credit") / "model"
    job = LocalJob(dev_labels=[e["label"] for e in dev])
    result = train_credit(train_params(out, train, dev), job)
    return {"result": result, "job": job, "dir": out, "dev": dev}


def test_tiny_qwen_lora_learns_a_credit_rule(trained: Dict[str, Any]) -> None:
    held_out = dataset(3, 300)
    probabilities = score_credit({"modelDir": str(trained["dir"]), "batch": [e["inputIds"] for e in held_out]})["probabilities"]
    auc = roc_auc([e["label"] for e in held_out], probabilities)
    assert auc >= 0.9, f"held-out ROC-AUC {auc:.3f}"
    assert all(0.0 < p < 1.0 for p in probabilities)

    result, job = trained["result"], trained["job"]
    assert result["modelDir"] == str(trained["dir"])
    assert [e["epoch"] for e in result["epochs"]] == list(range(1, 9))
    assert result["epochs"][-1]["trainLoss"] < result["epochs"][0]["trainLoss"]
    dev_metrics = [e["devMetric"] for e in result["epochs"]]
    assert result["bestDevMetric"] == max(dev_metrics) and dev_metrics[result["bestEpoch"] - 1] == max(dev_metrics)
    # One evaluate/credit request per epoch, carrying the job id and a probability per dev example.
    assert [(m, p["epoch"]) for m, p in job.calls] == [("evaluate/credit", e) for e in range(1, 9)]
    if cuda_available():
        assert result["samplesPerSecond"] > 0 and result["device"].startswith("cuda (") and result["peakMemoryBytes"] > 0
    else:
        assert result["samplesPerSecond"] > 0 and result["device"].startswith("cpu") and result["peakMemoryBytes"] is None
    train_events = [f for phase, f in job.events if phase == "train"]
    assert train_events and all(f["loss"] is not None and f["learningRate"] is not None and f["etaSeconds"] is not None for f in train_events)
    assert [phase for phase, _ in job.events][0] == "load" and [phase for phase, _ in job.events][-1] == "save"


def test_model_folder_holds_a_small_peft_adapter_and_the_card(trained: Dict[str, Any]) -> None:
    from safetensors import safe_open

    folder: Path = trained["dir"]
    assert sorted(p.name for p in folder.iterdir()) == [
        "adapter_config.json",
        "adapter_model.safetensors",
        "base",
        "card.json",
        "imputation.json",
        "prompt_template.txt",
    ]
    assert not list(folder.parent.glob(".*partial*"))
    assert (folder / "prompt_template.txt").read_bytes() == "企业信贷审批评估: 纳税额{纳税额}万元 😀𠀋\r\n".encode("utf-8")

    adapter = json.loads((folder / "adapter_config.json").read_text())
    assert adapter["peft_type"] == "LORA" and adapter["r"] == 8 and adapter["lora_alpha"] == 32 and adapter["lora_dropout"] == 0.05
    assert sorted(adapter["target_modules"]) == ["k_proj", "o_proj", "q_proj", "v_proj"]
    assert not adapter.get("modules_to_save")

    with safe_open(str(folder / "adapter_model.safetensors"), framework="pt") as f:
        tensors = {name: f.get_tensor(name) for name in f.keys()}
    assert tensors and all(".lora_A." in n or ".lora_B." in n for n in tensors)
    assert {n.split(".lora_")[0].rsplit(".", 1)[1] for n in tensors} == {"q_proj", "k_proj", "v_proj", "o_proj"}
    adapter_parameters = sum(t.numel() for t in tensors.values())
    # 2 layers x (q 64->64, k 64->32, v 64->32, o 64->64), r=8: 8*(64+64) + 2*8*(64+32) + 8*(64+64) per layer
    assert adapter_parameters == 2 * (8 * 128 * 2 + 2 * 8 * 96) == 7168
    assert (folder / "adapter_model.safetensors").stat().st_size < 64 * 1024

    card = json.loads((folder / "card.json").read_text())
    assert card["kind"] == "credit" and card["dataHash"] == "sha256:abc"
    training = card["training"]
    assert training["split"] == "8:2 stratified", "the server's training fields are kept"
    assert training["trainableParameters"] == adapter_parameters
    print(f"trainable: {training['trainableParameters']} of {training['totalParameters']} ({training['trainablePercent']}%)")
    assert training["trainablePercent"] < 0.1
    assert training["labelTokenIds"] == [ZERO, ONE]
    assert training["lora"] == {"r": 8, "alpha": 32.0, "dropout": 0.05, "targetModules": ["q_proj", "k_proj", "v_proj", "o_proj"]}
    assert training["hyperparameters"]["learningRate"] == 1e-3 and training["bestEpoch"] == trained["result"]["bestEpoch"]
    assert training["adapterBytes"] == (folder / "adapter_model.safetensors").stat().st_size
    assert training["tokensPerSecond"] > training["samplesPerSecond"] > 0
    assert {"torch", "transformers", "peft"} <= set(training["versions"])
    assert card["base"] == {
        "kind": "tiny",
        "vocabSize": QWEN2_VOCAB,
        "hiddenSize": 64,
        "layers": 2,
        "heads": 4,
        "intermediateSize": 128,
        "maxPositions": 512,
        "savedAs": "base",
    }
    assert json.loads((folder / "base" / "config.json").read_text())["model_type"] == "qwen2"


def test_scores_do_not_depend_on_batch_padding_and_the_model_is_cached(trained: Dict[str, Any]) -> None:
    dev = trained["dev"]
    short = min(dev, key=lambda e: len(e["inputIds"]))["inputIds"]
    longest = max(dev, key=lambda e: len(e["inputIds"]))["inputIds"]
    alone = score_credit({"modelDir": str(trained["dir"]), "batch": [short]})["probabilities"][0]
    loaded = score_module._cached
    padded = score_credit({"modelDir": str(trained["dir"]), "batch": [longest, short]})["probabilities"][1]
    assert padded == pytest.approx(alone, abs=1e-5)
    assert score_module._cached is loaded, "the second call must reuse the loaded model"


def test_no_full_vocabulary_logits_in_training_or_scoring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    original = torch.nn.Linear.forward

    def forward(self: Any, x: Any) -> Any:
        assert self.out_features < QWEN2_VOCAB, f"a {self.out_features}-row output head ran"
        return original(self, x)

    monkeypatch.setattr(torch.nn.Linear, "forward", forward)
    base = load_base(parse_base({"kind": "tiny", "vocabSize": QWEN2_VOCAB}), torch.device("cpu"), torch.float32, False, 0)
    with pytest.raises(AssertionError, match="151646-row output head"):
        base(input_ids=torch.tensor([[1, 2, 3]]))  # the guard works: the plain causal LM forward trips it
    model = attach_lora(base, parse_lora({}), gradient_checkpointing=False)
    ids, lengths = batch_tensors([[5, 6, 7, 8], [9, 10]], 0, torch.device("cpu"))
    logits = label_logits(model, ids, lengths, torch.tensor([ZERO, ONE]))
    assert logits.shape == (2, 2) and logits.dtype == torch.float32
    logits.sum().backward()

    train, dev = dataset(4, 48), dataset(5, 16)
    out = tmp_path / "model"
    train_credit(train_params(out, train, dev, hyper={"epochs": 1, "batchSize": 16}), LocalJob(dev_labels=[e["label"] for e in dev]))
    assert len(score_credit({"modelDir": str(out), "batch": [e["inputIds"] for e in dev]})["probabilities"]) == 16


def test_best_epoch_is_saved_and_early_stopping_ends_training(tmp_path: Path) -> None:
    """The server's metric (scripted here) falls after epoch 1: training stops after `patience`
    epochs without a gain, and the folder holds epoch 1's adapter, not the last one. Runs on a
    folder base (the saved tiny base of another model) with gradient checkpointing."""
    train, dev = dataset(6, 96), dataset(7, 32)
    first = tmp_path / "first"
    train_credit(train_params(first, train, dev, hyper={"epochs": 1}), LocalJob(dev_labels=[e["label"] for e in dev]))
    job = LocalJob(dev_metrics=[0.9, 0.5, 0.4, 0.95, 0.99], dev_labels=[e["label"] for e in dev])
    out = tmp_path / "model"
    params = train_params(
        out,
        train,
        dev,
        base={"kind": "folder", "path": str(first / "base")},
        hyper={"epochs": 5, "patience": 2, "learningRate": 5e-3, "batchSize": 16},
        memory={"gradientCheckpointing": True},
    )
    result = train_credit(params, job)
    assert [e["devMetric"] for e in result["epochs"]] == [0.9, 0.5, 0.4]
    assert result["bestEpoch"] == 1 and result["bestDevMetric"] == 0.9
    card = json.loads((out / "card.json").read_text())
    assert card["training"]["stoppedEarly"] is True and card["training"]["memory"]["gradientCheckpointing"] is True
    assert card["base"] == {"kind": "folder", "path": str(first / "base")} and not (out / "base").exists()
    epoch_one = job.calls[0][1]["probabilities"]
    epoch_three = job.calls[2][1]["probabilities"]
    saved = score_credit({"modelDir": str(out), "batch": [e["inputIds"] for e in dev]})["probabilities"]
    assert saved == pytest.approx(epoch_one, abs=1e-5)
    assert saved != pytest.approx(epoch_three, abs=1e-5)


@pytest.mark.parametrize("cancel_phase", ["train", "save"])
def test_cancel_leaves_no_model_folder(tmp_path: Path, cancel_phase: str) -> None:
    train = dataset(8, 160)
    out = tmp_path / "model"
    job = LocalJob(cancel_when=lambda phase, fields: phase == cancel_phase)
    with pytest.raises(Cancelled):
        train_credit(train_params(out, train, [], hyper={"epochs": 2, "batchSize": 8}), job)
    assert list(tmp_path.iterdir()) == [], "neither the model folder nor a .partial folder may remain"
    if cancel_phase == "train":
        last = [f for phase, f in job.events if phase == "train"][-1]
        assert last["epoch"] == 1 and last["step"] < last["steps"], "cancelled mid-epoch"


def test_a_non_qwen_base_is_an_unsupported_architecture(tmp_path: Path) -> None:
    from transformers import BertConfig, BertForMaskedLM

    bert = tmp_path / "bert"
    BertForMaskedLM(BertConfig(vocab_size=64, hidden_size=8, num_hidden_layers=1, num_attention_heads=2, intermediate_size=16)).save_pretrained(str(bert))
    params = train_params(tmp_path / "model", dataset(9, 8), [], base={"kind": "folder", "path": str(bert)})
    with pytest.raises(RpcError) as error:
        train_credit(params, LocalJob())
    assert error.value.code == -32014
    assert error.value.data == {"modelType": "bert", "supported": ["qwen2", "qwen3", "llama"]}
    assert "bert" in error.value.message and not (tmp_path / "model").exists()


def test_four_bit_without_bitsandbytes_names_the_package(tmp_path: Path) -> None:
    import importlib.util

    if importlib.util.find_spec("bitsandbytes") is not None:
        pytest.skip("bitsandbytes is installed here")
    params = train_params(tmp_path / "model", dataset(10, 8), [], memory={"fourBit": True})
    with pytest.raises(RpcError) as error:
        train_credit(params, LocalJob())
    assert error.value.code == -32010 and error.value.data == {"package": "bitsandbytes"}
    assert "bitsandbytes" in error.value.message and not (tmp_path / "model").exists()


def test_bad_input_says_which_field(tmp_path: Path) -> None:
    train = dataset(11, 8)
    train[3]["inputIds"][2] = QWEN2_VOCAB + 5
    with pytest.raises(RpcError, match=r"train\[3\]\.inputIds\[2\] = 151651 is outside the model's vocabulary") as error:
        train_credit(train_params(tmp_path / "model", train, []), LocalJob())
    assert error.value.code == -32602
    with pytest.raises(RpcError, match=r"train\[1\]\.label must be 0 or 1"):
        train_credit(train_params(tmp_path / "model", [train[0], {"inputIds": [1, 2], "label": 2}], []), LocalJob())
    with pytest.raises(RpcError, match="lm_head"):
        train_credit(train_params(tmp_path / "model", train, [], lora={"targetModules": ["q_proj", "lm_head"]}), LocalJob())
    bad_name = train_params(tmp_path / "model", train, [])
    bad_name["output"]["files"] = {"../escape.txt": "x"}
    with pytest.raises(RpcError, match=r"output\.files: '\.\./escape\.txt' is not a plain file name"):
        train_credit(bad_name, LocalJob())
    (tmp_path / "taken").mkdir()
    with pytest.raises(RpcError, match="already exists"):
        train_credit(train_params(tmp_path / "taken", train, []), LocalJob())
    with pytest.raises(RpcError, match="not a credit model folder"):
        score_credit({"modelDir": str(tmp_path / "taken"), "batch": [[1, 2]]})
