"""ONNX export of a token classifier, checked against PyTorch with ONNX Runtime on fresh random
inputs, and optionally quantized to int8 (dynamic quantization, QInt8 weights).

The graph takes `input_ids` and `attention_mask` (int64, [batch, sequence], both axes dynamic), and
`word_boundary_ids` of the same shape for a BiLSTM that reads them, and returns `logits` (float32,
[batch, sequence, labels]). token_type_ids is not an input: the entity model is fed single segments,
and BERT then uses type 0 everywhere.
"""

import os
import time
import warnings
from pathlib import Path
from typing import Any, Dict, List, Tuple

from ..errors import invalid
from ..imports import require
from ..job import JobContext
from . import bilstm
from .model import load_saved, max_positions

OPSET = 17
INPUT_NAMES = ["input_ids", "attention_mask"]
WORD_BOUNDARY_INPUT = "word_boundary_ids"
ONNX_FILE = "model.onnx"
INT8_FILE = "model.int8.onnx"
# (batch, sequence) shapes of the parity check; some rows are padded (attention_mask 0).
PARITY_SHAPES: List[Tuple[int, int]] = [(1, 5), (3, 17), (2, 64)]


def export_onnx(model: Any, folder: Path, final_folder: Path, quantize: bool, ctx: JobContext) -> Dict[str, Any]:
    """Writes model.onnx (and model.int8.onnx) into `folder`; returns the ExportResult with the
    paths under `final_folder` (where `folder` will be renamed to, or `folder` itself)."""
    torch = require("torch")
    ctx.progress("export", message="exporting to ONNX")
    model = model.to("cpu").float().eval()
    # Eager attention traces to plain MatMul/Softmax with an additive mask; the SDPA path adds
    # Where/IsNaN over every [heads, seq, seq] score tensor, about 20% of a 512-token window's time
    # on the CPU (bench/README.md).
    if hasattr(model.config, "_attn_implementation") and model.config.model_type != bilstm.MODEL_TYPE:
        model.set_attn_implementation("eager")
    boundaries = bilstm.reads_word_boundaries(model)
    wrapper = _LogitsOnly(torch, model)
    onnx_path = folder / ONNX_FILE
    input_names = INPUT_NAMES + ([WORD_BOUNDARY_INPUT] if boundaries else [])
    example = _random_inputs(torch, model.config.vocab_size, 2, 8, torch.Generator().manual_seed(0), boundaries)
    # The tracing example has a padded row, so the attention-mask path is the one recorded.
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore", category=torch.jit.TracerWarning)
        # The LSTM's note on batch sizes: the parity check below runs batches of 1, 2 and 3 rows.
        warnings.filterwarnings("ignore", message="Exporting a model to ONNX with a batch_size other than 1")
        torch.onnx.export(
            wrapper,
            example,
            str(onnx_path),
            input_names=input_names,
            output_names=["logits"],
            dynamic_axes={name: {0: "batch", 1: "sequence"} for name in (*input_names, "logits")},
            opset_version=OPSET,
            dynamo=False,
        )
    ctx.check_cancelled()
    ctx.progress("export", message="checking the ONNX model against PyTorch")
    inputs = _fresh_inputs(torch, model.config.vocab_size, _parity_shapes(model.config), boundaries)
    reference = _torch_logits(torch, wrapper, inputs)
    onnx_logits = _onnx_logits(onnx_path, inputs)
    result: Dict[str, Any] = {
        "path": str(final_folder / ONNX_FILE),
        "maxAbsDiff": _max_abs_diff(reference, onnx_logits),
        "bytes": onnx_path.stat().st_size,
    }
    if quantize:
        ctx.check_cancelled()
        ctx.progress("export", message="quantizing to int8")
        quantization = require("onnxruntime.quantization")
        int8_path = folder / INT8_FILE
        quantization.quantize_dynamic(str(onnx_path), str(int8_path), weight_type=quantization.QuantType.QInt8)
        int8_logits = _onnx_logits(int8_path, inputs)
        result["quantized"] = {
            "path": str(final_folder / INT8_FILE),
            "maxAbsDiff": _max_abs_diff(onnx_logits, int8_logits),
            "argmaxAgreement": _argmax_agreement(onnx_logits, int8_logits, inputs),
            "bytes": int8_path.stat().st_size,
        }
    return result


def export_entities(params: Any, ctx: JobContext) -> Dict[str, Any]:
    """export/entities (a job): ONNX files for a saved model folder. They are written under
    temporary names and renamed at the end, so a cancelled export leaves the folder as it was;
    card.json gets an "export" section."""
    if not isinstance(params, dict) or not isinstance(params.get("modelDir"), str):
        raise invalid("export/entities needs {jobId, modelDir: string, quantize: boolean}")
    folder = Path(params["modelDir"])
    ctx.progress("load", message=f"loading {folder}")
    model = load_saved(str(folder))
    scratch = folder / f".export-{os.getpid()}-{int(time.time() * 1000)}"
    scratch.mkdir()
    try:
        result = export_onnx(model, scratch, folder, bool(params.get("quantize")), ctx)
        ctx.check_cancelled()
        ctx.progress("save", message="moving the ONNX files into place")
        for name in (ONNX_FILE, INT8_FILE):
            if (scratch / name).exists():
                os.replace(scratch / name, folder / name)
        _record_export(folder / "card.json", result)
    finally:
        for leftover in scratch.iterdir():
            leftover.unlink()
        scratch.rmdir()
    return result


def _record_export(card_path: Path, result: Dict[str, Any]) -> None:
    import json

    from ..artifacts import write_json

    card: Dict[str, Any] = {}
    if card_path.exists():
        try:
            card = json.loads(card_path.read_text(encoding="utf-8"))
        except ValueError:
            card = {}
    write_json(card_path, {**card, "export": {**result, "opset": OPSET, "exportedAt": time.strftime("%Y-%m-%dT%H:%M:%S%z")}})


class _LogitsOnly:
    """A torch.nn.Module (built lazily, torch is imported late) returning only the logits."""

    def __new__(cls, torch: Any, model: Any) -> Any:
        class LogitsOnly(torch.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.model = model

            def forward(self, input_ids: Any, attention_mask: Any, word_boundary_ids: Any = None) -> Any:
                return self.model(input_ids=input_ids, attention_mask=attention_mask, word_boundary_ids=word_boundary_ids).logits

        return LogitsOnly().eval()


def _parity_shapes(config: Any) -> List[Tuple[int, int]]:
    longest = max_positions(config) or 512
    return [(b, min(s, longest)) for b, s in PARITY_SHAPES]


def _random_inputs(torch: Any, vocab: int, batch: int, length: int, generator: Any, boundaries: bool) -> Tuple[Any, ...]:
    """Random token ids (and word boundary ids); row r > 0 is padded over its last
    r * length // (batch + 1) tokens."""
    input_ids = torch.randint(1, vocab, (batch, length), generator=generator)
    attention_mask = torch.ones(batch, length, dtype=torch.long)
    word_boundary_ids = torch.randint(1, bilstm.WORD_BOUNDARY_TAGS, (batch, length), generator=generator)
    for row in range(1, batch):
        cut = length - row * length // (batch + 1)
        attention_mask[row, cut:] = 0
        input_ids[row, cut:] = 0
        word_boundary_ids[row, cut:] = 0
    return (input_ids, attention_mask, word_boundary_ids) if boundaries else (input_ids, attention_mask)


def _fresh_inputs(torch: Any, vocab: int, shapes: List[Tuple[int, int]], boundaries: bool) -> List[Tuple[Any, ...]]:
    # Seeded from the clock: fresh inputs each check, not the ones the graph was traced with.
    generator = torch.Generator().manual_seed(time.time_ns() % (2**31))
    return [_random_inputs(torch, vocab, b, s, generator, boundaries) for b, s in shapes]


def _torch_logits(torch: Any, wrapper: Any, inputs: List[Tuple[Any, ...]]) -> List[Any]:
    with torch.inference_mode():
        return [wrapper(*tensors).numpy() for tensors in inputs]


def _onnx_logits(path: Path, inputs: List[Tuple[Any, ...]]) -> List[Any]:
    ort = require("onnxruntime")
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    names = INPUT_NAMES + [WORD_BOUNDARY_INPUT]
    return [session.run(["logits"], {name: t.numpy() for name, t in zip(names, tensors)})[0] for tensors in inputs]


def _max_abs_diff(a: List[Any], b: List[Any]) -> float:
    return float(max(abs(x - y).max() for x, y in zip(a, b)))


def _argmax_agreement(a: List[Any], b: List[Any], inputs: List[Tuple[Any, ...]]) -> float:
    """Share of real (unpadded) tokens where both models pick the same label."""
    same = total = 0
    for x, y, (_, mask, *_rest) in zip(a, b, inputs):
        valid = mask.numpy().astype(bool)
        agree = x.argmax(-1) == y.argmax(-1)
        same += int(agree[valid].sum())
        total += int(valid.sum())
    return same / max(total, 1)
