"""The credit-risk model: a Qwen causal LM with a LoRA adapter, supervised only on the answer.

`train_credit(params, ctx)` is the `train/credit` job, `score_credit(params)` the inline
`score/credit` method. See README.md in this folder."""

from .score import score_credit
from .train import train_credit

__all__ = ["train_credit", "score_credit"]
