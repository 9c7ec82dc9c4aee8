"""Checks of request fields that the entity and credit models' params share: integers that are
not booleans, and token ids that fit the model they are meant for."""

from typing import Any, Iterable, Optional, Sequence, Tuple

from .errors import invalid


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_int_list(value: Any) -> bool:
    return isinstance(value, list) and all(is_int(x) for x in value)


def check_token_ids(sequences: Iterable[Tuple[str, Sequence[int]]], vocab_size: int, max_positions: Optional[int]) -> None:
    """Each (field, token ids): every id indexes the model's embedding and the length fits its
    position table (no limit when `max_positions` is None). `field` is the place in the request,
    e.g. `train[3].inputIds`."""
    for field, ids in sequences:
        bad = next((j for j, token in enumerate(ids) if not 0 <= token < vocab_size), None)
        if bad is not None:
            raise invalid(
                f"{field}[{bad}] = {ids[bad]} is outside the model's vocabulary of {vocab_size} tokens: was it tokenized with this model's tokenizer?"
            )
        if max_positions is not None and len(ids) > max_positions:
            raise invalid(f"{field} has {len(ids)} tokens; the model takes at most {max_positions}")
