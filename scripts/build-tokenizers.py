"""Builds the tokenizers FinLabel ships (models/tokenizers/) from the real vocabularies in
../shared/data: the 21,128-entry Chinese BERT WordPiece vocabulary and the Qwen2 byte-level BPE.
The outputs are committed, so nothing here runs at install or test time. Re-run with
`.venv/bin/python scripts/build-tokenizers.py [DATA_DIR]` after changing it."""

import json
import shutil
import sys
from pathlib import Path

from transformers import BertTokenizerFast, Qwen2TokenizerFast

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data"
OUT = ROOT / "models" / "tokenizers"


def bert() -> None:
    out = OUT / "bert-base-chinese"
    out.mkdir(parents=True, exist_ok=True)
    tokenizer = BertTokenizerFast(vocab=str(DATA / "bert-chinese-vocab" / "vocab.txt"), do_lower_case=True, tokenize_chinese_chars=True)
    tokenizer.model_max_length = 512
    tokenizer.save_pretrained(str(out))
    shutil.copy(DATA / "bert-chinese-vocab" / "SOURCE.txt", out / "SOURCE.txt")


def qwen2() -> None:
    out = OUT / "qwen2"
    out.mkdir(parents=True, exist_ok=True)
    src = DATA / "qwen2-tokenizer"
    tokenizer = Qwen2TokenizerFast(
        vocab=str(src / "vocab.json"),
        merges=str(src / "merges.txt"),
        unk_token=None,
        bos_token=None,
        eos_token="<|endoftext|>",
        pad_token="<|endoftext|>",
        additional_special_tokens=["<|im_start|>", "<|im_end|>"],
    )
    tokenizer.model_max_length = 32768
    tokenizer.save_pretrained(str(out))
    shutil.copy(src / "SOURCE.txt", out / "SOURCE.txt")


def compact(path: Path) -> None:
    """tokenizer.json without indentation: the Qwen2 one shrinks from 11 MB to 5 MB."""
    value = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(value, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


if __name__ == "__main__":
    bert()
    qwen2()
    for tokenizer_json in OUT.rglob("tokenizer.json"):
        compact(tokenizer_json)
    for path in sorted(OUT.rglob("*")):
        if path.is_file():
            print(f"{path.relative_to(ROOT)}: {path.stat().st_size:,} bytes")
