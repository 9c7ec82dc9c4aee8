"""A linear-chain CRF over BIO tags: learnt transition scores between neighbouring tags, trained by the
likelihood of the gold tag sequence, decoded by Viterbi.

A token tagger scores each token on its own; the CRF scores whole sequences, so the model learns where
spans start and end (the span errors a softmax tagger makes one token at a time). On 1,000 CLUENER
sentences it added about 6 points of span F1 to the small BiLSTM (bench/README.md, "small CPU model").

Written here rather than taken from pytorch-crf: that package has had no release since 2019, and it
needs every sequence to start at position 0 and every tag to be known, while our rows start with
[CLS] and may hold tokens with no tag (-100: a token straddling a label's boundary). Those tokens are
marginalised: the gold score sums over every tag they could take (a partial-label CRF).

The sequence of a row is its content: positions 1 .. n-2 of a row of n tokens ([CLS] content [SEP]),
the tokens the server decodes. Decoding forbids what BIO forbids (I-X only after B-X or I-X, never
first), as the server's decoder does (src/server/entities/linearChainCrf.ts), which reads the same
scores from the model folder's crf.json.
"""

from typing import Any, Dict, List, Tuple

from ..imports import require

CRF_FILE = "crf.json"
IGNORE_LABEL = -100
_FORBIDDEN = -1e4  # a score no path takes (finite: exp and logsumexp stay free of NaN)


def bio_allowed(labels: int) -> Tuple[List[List[bool]], List[bool]]:
    """(allowed[prev][next], allowed_first[tag]) for O, then B-/I- of each type (ids 0, 1+2k, 2+2k)."""

    def inside(tag: int) -> bool:
        return tag > 0 and tag % 2 == 0

    pairs = [[not inside(b) or a in (b, b - 1) for b in range(labels)] for a in range(labels)]
    return pairs, [not inside(t) for t in range(labels)]


def content_of(torch: Any, logits: Any, attention_mask: Any) -> Tuple[Any, Any]:
    """(emissions [batch, seq-1, labels], mask [batch, seq-1] bool): each row's content tokens from position 0."""
    lengths = attention_mask.sum(dim=1, keepdim=True) - 2
    positions = torch.arange(logits.shape[1] - 1, device=logits.device).unsqueeze(0)
    return logits[:, 1:].float(), positions < lengths


class Crf:
    """The transition scores of a model that has them (start [L], end [L], transitions [L, L]: row =
    previous tag) and the computations over them. Holds references to the model's parameters."""

    def __init__(self, start: Any, end: Any, transitions: Any) -> None:
        torch = require("torch")
        self.torch = torch
        labels = transitions.shape[0]
        pairs, first = bio_allowed(labels)
        device = transitions.device
        self.allowed = torch.tensor(pairs, device=device)
        self.allowed_first = torch.tensor(first, device=device)
        self.start, self.end, self.transitions = start, end, transitions

    def _scores(self, constrained: bool) -> Tuple[Any, Any]:
        if not constrained:
            return self.start, self.transitions
        return self.start.masked_fill(~self.allowed_first, _FORBIDDEN), self.transitions.masked_fill(~self.allowed, _FORBIDDEN)

    def _log_partition(self, emissions: Any, mask: Any, start: Any, transitions: Any) -> Any:
        """log sum over tag paths of each row (emissions already hold -inf-like scores for excluded tags)."""
        torch = self.torch
        alpha = start.unsqueeze(0) + emissions[:, 0]
        for t in range(1, emissions.shape[1]):
            following = torch.logsumexp(alpha.unsqueeze(2) + transitions.unsqueeze(0) + emissions[:, t].unsqueeze(1), dim=1)
            alpha = torch.where(mask[:, t : t + 1], following, alpha)
        return torch.logsumexp(alpha + self.end.unsqueeze(0), dim=1)

    def negative_log_likelihood(self, logits: Any, attention_mask: Any, labels: Any) -> Any:
        """Per row [batch]: -log p(the gold tags | the row), summing over the tags of -100 tokens; 0 for a row without content."""
        torch = self.torch
        emissions, mask = content_of(torch, logits, attention_mask)
        if emissions.shape[1] == 0:
            return logits.sum(dim=(1, 2)) * 0
        gold = labels[:, 1 : 1 + emissions.shape[1]]
        known = gold != IGNORE_LABEL
        fits = torch.nn.functional.one_hot(gold.clamp(min=0), emissions.shape[2]).bool() | ~known.unsqueeze(-1)
        start, transitions = self._scores(False)
        everything = self._log_partition(emissions, mask, start, transitions)
        if bool((known | ~mask).all()):
            gold_paths = self._path_score(emissions, mask, gold.clamp(min=0), start, transitions)
        else:  # a token without a tag: its row's gold paths are all those through any tag there
            gold_paths = self._log_partition(emissions.masked_fill(~fits, _FORBIDDEN), mask, start, transitions)
        return torch.where(mask[:, 0], everything - gold_paths, torch.zeros_like(everything))

    def _path_score(self, emissions: Any, mask: Any, tags: Any, start: Any, transitions: Any) -> Any:
        """[batch] the score of one tag path per row (tags past a row's end are ignored)."""
        on = mask.to(emissions.dtype)
        score = start[tags[:, 0]] + (emissions.gather(2, tags.unsqueeze(-1)).squeeze(-1) * on).sum(dim=1)
        score = score + (transitions[tags[:, :-1], tags[:, 1:]] * on[:, 1:]).sum(dim=1)
        last = (mask.sum(dim=1) - 1).clamp(min=0)
        return score + self.end[tags.gather(1, last.unsqueeze(1)).squeeze(1)]

    def decode(self, logits: Any, attention_mask: Any) -> Tuple[List[List[int]], List[List[float]]]:
        """Per row, a label id for every token (the best valid BIO path over the content; O at [CLS],
        [SEP] and padding) and its marginal probability (1 at [CLS], [SEP] and padding)."""
        torch = self.torch
        emissions, mask = content_of(torch, logits, attention_mask)
        rows, width = logits.shape[0], logits.shape[1]
        ids = [[0] * width for _ in range(rows)]
        probabilities = [[1.0] * width for _ in range(rows)]
        if not bool(mask.any()):
            return ids, probabilities
        start, transitions = self._scores(True)
        paths = self._viterbi(emissions, mask, start, transitions)
        chosen = self._marginals(emissions, mask, start, transitions).gather(2, paths.unsqueeze(-1)).squeeze(-1)
        for row, n in enumerate(mask.sum(dim=1).tolist()):
            ids[row][1 : 1 + n] = paths[row, :n].tolist()
            probabilities[row][1 : 1 + n] = chosen[row, :n].tolist()
        return ids, probabilities

    def _viterbi(self, emissions: Any, mask: Any, start: Any, transitions: Any) -> Any:
        """[batch, seq] the best path of each row's content (padding positions repeat its last tag)."""
        torch = self.torch
        score = start.unsqueeze(0) + emissions[:, 0]
        keep = torch.arange(emissions.shape[2], device=emissions.device).expand_as(score)
        back = []
        for t in range(1, emissions.shape[1]):
            best, previous = (score.unsqueeze(2) + transitions.unsqueeze(0)).max(dim=1)
            score = torch.where(mask[:, t : t + 1], best + emissions[:, t], score)
            back.append(torch.where(mask[:, t : t + 1], previous, keep))
        tag = (score + self.end.unsqueeze(0)).argmax(dim=1)
        path = [tag]
        for previous in reversed(back):
            tag = previous.gather(1, tag.unsqueeze(1)).squeeze(1)
            path.append(tag)
        return torch.stack(path[::-1], dim=1)

    def _marginals(self, emissions: Any, mask: Any, start: Any, transitions: Any) -> Any:
        """p(tag k at token t | row) [batch, seq, labels], by forward-backward over each row's content."""
        torch = self.torch
        steps = emissions.shape[1]
        alphas = [start.unsqueeze(0) + emissions[:, 0]]
        for t in range(1, steps):
            following = torch.logsumexp(alphas[-1].unsqueeze(2) + transitions.unsqueeze(0) + emissions[:, t].unsqueeze(1), dim=1)
            alphas.append(torch.where(mask[:, t : t + 1], following, alphas[-1]))
        # beta at a row's last token is its end score; padding positions carry it back unchanged.
        betas = [self.end.unsqueeze(0).expand_as(alphas[0])]
        for t in range(steps - 1, 0, -1):
            preceding = torch.logsumexp(transitions.unsqueeze(0) + (emissions[:, t] + betas[0]).unsqueeze(1), dim=2)
            betas.insert(0, torch.where(mask[:, t : t + 1], preceding, betas[0]))
        joint = torch.stack(alphas, dim=1) + torch.stack(betas, dim=1)
        return torch.softmax(joint, dim=-1)

    def to_json(self, bio: List[str]) -> Dict[str, Any]:
        """crf.json: the scores the server's decoder reads, per label name so a mismatch is caught."""
        rows = lambda t: [round(float(v), 6) for v in t]  # noqa: E731
        return {
            "bio": bio,
            "start": rows(self.start.detach().cpu()),
            "end": rows(self.end.detach().cpu()),
            "transitions": [rows(r) for r in self.transitions.detach().cpu()],
        }
