"""The answer's logits and loss: only the two label-token rows of the output head, at each
prompt's last real token. The full-vocabulary logits (152k x hidden per position) are never computed.

Batches are right-padded and run WITHOUT an attention mask: under causal attention a real token
never sees the padding after it, and positions count from 0 at the first token, so every real
token's hidden state equals the unpadded one. Skipping the mask also keeps the fast causal
attention kernels (flash / memory-efficient SDPA) usable."""

from typing import Any, Sequence, Tuple

from ..imports import require
from ..train_common import pad_batch


def batch_tensors(sequences: Sequence[Sequence[int]], pad_id: int, device: Any) -> Tuple[Any, Any]:
    """[batch, longest] right-padded ids and the [batch] real lengths."""
    torch = require("torch")
    lengths = torch.tensor([len(s) for s in sequences], dtype=torch.long, device=device)
    return pad_batch(sequences, pad_id, device), lengths


def last_token_hidden(peft_model: Any, input_ids: Any, lengths: Any) -> Any:
    """Final hidden state (after the last norm) at each sequence's last real token: [batch, hidden].
    Runs the causal LM's inner decoder, so the LM head is not applied at all."""
    torch = require("torch")
    decoder = peft_model.get_base_model().get_decoder()
    hidden = decoder(input_ids=input_ids, use_cache=False).last_hidden_state
    return hidden[torch.arange(hidden.shape[0], device=hidden.device), lengths - 1]


def label_logits(peft_model: Any, input_ids: Any, lengths: Any, label_token_ids: Any) -> Any:
    """[batch, 2] float32 logits of the tokens "0" and "1": hidden @ lm_head.weight[label ids].T."""
    head = peft_model.get_base_model().get_output_embeddings()
    rows = head.weight[label_token_ids]
    hidden = last_token_hidden(peft_model, input_ids, lengths)
    logits = hidden @ rows.to(hidden.dtype).T
    if getattr(head, "bias", None) is not None:
        logits = logits + head.bias[label_token_ids].to(logits.dtype)
    return logits.float()


def label_loss(logits: Any, labels: Any) -> Any:
    """Cross-entropy of the answer (0 = 正常, 1 = 违约) over the two label tokens."""
    return require("torch").nn.functional.cross_entropy(logits, labels)
