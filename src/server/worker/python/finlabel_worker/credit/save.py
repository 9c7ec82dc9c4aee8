"""The credit model folder: PEFT adapter, the server's files, card.json, and for a tiny base its
weights (random, so they must travel with the adapter)."""

from pathlib import Path
from typing import Any, Dict, Optional

from ..artifacts import write_json, write_text_files
from ..errors import RpcError
from ..imports import require
from ..protocol import ErrorCode
from .layout import ADAPTER_WEIGHTS, CARD, TINY_BASE_FOLDER

# r=8 on every projection of a 7B model is about 20M parameters (80 MB in fp32); far past that,
# something other than LoRA matrices (an output head, embeddings) went into the adapter.
ADAPTER_BYTES_LIMIT = 256 * 1024 * 1024


def tiny_base_state(model: Any) -> Dict[str, Any]:
    """A CPU copy of a tiny base's weights, taken before LoRA wraps it (tied head left out)."""
    state = {name: tensor.detach().to("cpu", copy=True).contiguous() for name, tensor in model.state_dict().items()}
    if getattr(model.config, "tie_word_embeddings", False):
        state.pop("lm_head.weight", None)
    return state


def save_adapter(peft_model: Any, folder: Path) -> int:
    """PEFT's adapter_config.json + adapter_model.safetensors; returns the weights' size in bytes
    after checking they hold LoRA matrices only."""
    safetensors = require("safetensors")
    peft_model.save_pretrained(str(folder), safe_serialization=True)
    (folder / "README.md").unlink(missing_ok=True)  # PEFT's generated model card; card.json is ours
    weights = folder / ADAPTER_WEIGHTS
    with safetensors.safe_open(str(weights), framework="pt") as f:
        foreign = [name for name in f.keys() if "lora_" not in name]
    size = weights.stat().st_size
    if foreign or size > ADAPTER_BYTES_LIMIT:
        raise RpcError(ErrorCode.INTERNAL, f"the adapter holds more than LoRA matrices ({size} bytes; e.g. {foreign[:3]})")
    return size


def save_tiny_base(config: Any, state: Dict[str, Any], folder: Path) -> None:
    save_file = require("safetensors.torch").save_file
    base = folder / TINY_BASE_FOLDER
    base.mkdir()
    config.save_pretrained(str(base))
    save_file(state, str(base / "model.safetensors"), metadata={"format": "pt"})


def write_model_folder(
    folder: Path,
    peft_model: Any,
    files: Dict[str, str],
    card: Dict[str, Any],
    tiny_base: Optional[Dict[str, Any]],
) -> int:
    """Writes everything; card["training"]["adapterBytes"] is filled in here. Returns that size."""
    size = save_adapter(peft_model, folder)
    write_text_files(folder, files)
    if tiny_base is not None:
        save_tiny_base(peft_model.get_base_model().config, tiny_base, folder)
    card["training"]["adapterBytes"] = size
    write_json(folder / CARD, card)
    return size
