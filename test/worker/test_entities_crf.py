"""The small model's CRF (entities/crf.py) against brute force: every tag path of a short row
enumerated and scored by the definition of a linear-chain CRF."""

import itertools
import math
from typing import List, Sequence

import pytest

torch = pytest.importorskip("torch")

from finlabel_worker.entities.crf import IGNORE_LABEL, Crf, bio_allowed  # noqa: E402

LABELS = 5  # O, B-X, I-X, B-Y, I-Y


def random_crf(seed: int) -> Crf:
    g = torch.Generator().manual_seed(seed)
    return Crf(torch.randn(LABELS, generator=g), torch.randn(LABELS, generator=g), torch.randn(LABELS, LABELS, generator=g))


def path_score(crf: Crf, emissions: torch.Tensor, path: Sequence[int]) -> float:
    score = float(crf.start[path[0]]) + float(crf.end[path[-1]])
    score += sum(float(emissions[t, k]) for t, k in enumerate(path))
    score += sum(float(crf.transitions[a, b]) for a, b in zip(path, path[1:]))
    return score


def valid(path: Sequence[int]) -> bool:
    pairs, first = bio_allowed(LABELS)
    return first[path[0]] and all(pairs[a][b] for a, b in zip(path, path[1:]))


def logits_of(rows: List[torch.Tensor]) -> tuple:
    """[CLS] content [SEP] rows right-padded into one batch (the [CLS]/[SEP]/padding logits are noise
    the CRF must ignore)."""
    width = max(r.shape[0] for r in rows) + 2
    logits = torch.randn(len(rows), width, LABELS) * 5
    mask = torch.zeros(len(rows), width, dtype=torch.long)
    for i, r in enumerate(rows):
        logits[i, 1 : 1 + r.shape[0]] = r
        mask[i, : r.shape[0] + 2] = 1
    return logits, mask


def test_the_loss_is_minus_the_log_probability_of_the_gold_path_among_all_paths() -> None:
    crf = random_crf(1)
    g = torch.Generator().manual_seed(2)
    rows = [torch.randn(n, LABELS, generator=g) for n in (4, 2, 1)]
    gold = [[1, 2, 0, 3], [0, 4], [3]]  # [0, 4] is not valid BIO: training scores it all the same
    logits, mask = logits_of(rows)
    labels = torch.full(mask.shape, IGNORE_LABEL)
    for i, tags in enumerate(gold):
        labels[i, 1 : 1 + len(tags)] = torch.tensor(tags)
    losses = crf.negative_log_likelihood(logits, mask, labels)
    for i, (emissions, tags) in enumerate(zip(rows, gold)):
        everything = [path_score(crf, emissions, p) for p in itertools.product(range(LABELS), repeat=len(tags))]
        expected = math.log(sum(math.exp(s) for s in everything)) - path_score(crf, emissions, tags)
        assert losses[i].item() == pytest.approx(expected, abs=1e-4)


def test_a_token_without_a_tag_is_summed_over_and_a_row_without_content_costs_nothing() -> None:
    crf = random_crf(3)
    emissions = torch.randn(3, LABELS, generator=torch.Generator().manual_seed(4))
    logits, mask = logits_of([emissions, torch.zeros(0, LABELS)])
    labels = torch.full(mask.shape, IGNORE_LABEL)
    labels[0, 1:4] = torch.tensor([1, IGNORE_LABEL, 0])
    losses = crf.negative_log_likelihood(logits, mask, labels)
    paths = list(itertools.product(range(LABELS), repeat=3))
    everything = math.log(sum(math.exp(path_score(crf, emissions, p)) for p in paths))
    gold = math.log(sum(math.exp(path_score(crf, emissions, p)) for p in paths if p[0] == 1 and p[2] == 0))
    assert losses[0].item() == pytest.approx(everything - gold, abs=1e-4)
    assert losses[1].item() == 0


def test_decoding_finds_the_best_valid_path_and_its_marginals() -> None:
    crf = random_crf(5)
    g = torch.Generator().manual_seed(6)
    rows = [torch.randn(n, LABELS, generator=g) * 2 for n in (5, 3, 1)]
    logits, mask = logits_of(rows)
    ids, probabilities = crf.decode(logits, mask)
    for i, emissions in enumerate(rows):
        n = emissions.shape[0]
        paths = [p for p in itertools.product(range(LABELS), repeat=n) if valid(p)]
        scores = {p: path_score(crf, emissions, p) for p in paths}
        best = max(paths, key=lambda p: scores[p])
        assert ids[i][1 : 1 + n] == list(best) and ids[i][0] == 0 and len(ids[i]) == logits.shape[1]
        total = sum(math.exp(s) for s in scores.values())
        for t, k in enumerate(best):
            marginal = sum(math.exp(s) for p, s in scores.items() if p[t] == k) / total
            assert probabilities[i][1 + t] == pytest.approx(marginal, abs=1e-4)
