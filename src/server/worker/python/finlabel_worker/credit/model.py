"""The base causal LM (a local Qwen folder, or a tiny random Qwen2 for tests) and its LoRA adapter."""

import sys
from pathlib import Path
from typing import Any, Dict

from ..errors import RpcError, invalid
from ..imports import require
from ..protocol import ErrorCode
from ..train_common import SAFETENSORS_WEIGHTS, check_base_folder, check_model_type
from .params import BaseSpec, LoraSettings

# model_type values of config.json the credit model trains (all use q/k/v/o_proj and gate/up/down_proj).
SUPPORTED_MODEL_TYPES = ("qwen2", "qwen3", "llama")


def tiny_config(shape: Dict[str, int]) -> Any:
    """A Qwen2 config of the given shape; the embedding is tied to the output head, as in the
    small Qwen2.5 models, so a saved tiny base holds the big vocabulary matrix once."""
    transformers = require("transformers")
    heads = shape["heads"]
    return transformers.Qwen2Config(
        vocab_size=shape["vocabSize"],
        hidden_size=shape["hiddenSize"],
        num_hidden_layers=shape["layers"],
        num_attention_heads=heads,
        num_key_value_heads=heads // 2 if heads % 2 == 0 else heads,
        intermediate_size=shape["intermediateSize"],
        max_position_embeddings=shape["maxPositions"],
        tie_word_embeddings=True,
        use_cache=False,
    )


def read_model_type(folder: Path) -> str:
    return check_model_type(folder, SUPPORTED_MODEL_TYPES, "the credit model trains causal LMs of the types (Qwen2, Qwen2.5, Qwen3, Llama)")


def require_bitsandbytes() -> None:
    try:
        require("bitsandbytes")
    except RpcError as e:
        raise RpcError(
            ErrorCode.MISSING_PACKAGE,
            f"memory.fourBit needs the Python package 'bitsandbytes', which {sys.executable} cannot import. "
            "It is optional and needs a CUDA GPU: install it into the worker's environment (pip install bitsandbytes), "
            "or train without 4-bit, with gradient checkpointing on a bf16 base.",
            {"package": "bitsandbytes"},
        ) from e


def load_base(spec: BaseSpec, device: Any, dtype: Any, four_bit: bool, seed: int) -> Any:
    """The causal LM on `device` with frozen weights of `dtype` (4-bit NF4 when `four_bit`)."""
    torch = require("torch")
    transformers = require("transformers")
    if four_bit:
        require_bitsandbytes()
        if device.type != "cuda":
            raise invalid("memory.fourBit needs a CUDA GPU (bitsandbytes 4-bit runs on CUDA only)")
        if spec.kind != "folder":
            raise invalid("memory.fourBit needs a base model folder; a tiny base is small enough without it")
    if spec.kind == "tiny":
        torch.manual_seed(seed)
        model = transformers.AutoModelForCausalLM.from_config(tiny_config(spec.tiny or {}))
        return model.to(device=device, dtype=dtype)
    return load_folder(Path(spec.path or ""), device, dtype, four_bit)


def load_folder(path: Path, device: Any, dtype: Any, four_bit: bool) -> Any:
    torch = require("torch")
    transformers = require("transformers")
    folder = check_base_folder(str(path), [SAFETENSORS_WEIGHTS])
    read_model_type(folder)
    kwargs: Dict[str, Any] = {"local_files_only": True, "use_safetensors": True, "trust_remote_code": False, "dtype": dtype}
    if four_bit:
        kwargs["quantization_config"] = transformers.BitsAndBytesConfig(
            load_in_4bit=True,
            bnb_4bit_quant_type="nf4",
            bnb_4bit_use_double_quant=True,
            bnb_4bit_compute_dtype=torch.bfloat16,
        )
    if device.type == "cuda":
        kwargs["device_map"] = {"": device.index or 0}
    transformers.utils.logging.disable_progress_bar()  # stderr is the worker's log, not a terminal
    try:
        model = transformers.AutoModelForCausalLM.from_pretrained(str(folder), **kwargs)
    except (OSError, ValueError) as e:
        raise RpcError(ErrorCode.BASE_MODEL_INVALID, f"the base model in {folder} could not be loaded: {e}", {"path": str(folder), "missing": []}) from e
    return model if device.type == "cuda" else model.to(device)


def attach_lora(model: Any, lora: LoraSettings, gradient_checkpointing: bool) -> Any:
    """Freezes the base and wraps it in a PEFT LoRA model. No modules_to_save: the output head
    stays frozen, so the adapter holds only the low-rank matrices."""
    peft = require("peft")
    for parameter in model.parameters():
        parameter.requires_grad_(False)
    model.config.use_cache = False
    if gradient_checkpointing:
        # Non-reentrant checkpointing needs no enable_input_require_grads() trick for frozen embeddings.
        model.activation_checkpointing_enable(activation_checkpointing_kwargs={"use_reentrant": False})
    config = peft.LoraConfig(
        r=lora.r,
        lora_alpha=lora.alpha,
        lora_dropout=lora.dropout,
        target_modules=list(lora.target_modules),
        bias="none",
        task_type="CAUSAL_LM",
    )
    try:
        return peft.get_peft_model(model, config)
    except ValueError as e:
        raise invalid(f"lora.targetModules {list(lora.target_modules)} do not fit this base model: {e}") from e


def parameter_counts(peft_model: Any) -> Dict[str, Any]:
    trainable, total = peft_model.get_nb_trainable_parameters()
    return {"trainableParameters": int(trainable), "totalParameters": int(total), "trainablePercent": round(100.0 * trainable / max(total, 1), 4)}


def embedding_rows(model: Any) -> int:
    return int(model.get_input_embeddings().weight.shape[0])
