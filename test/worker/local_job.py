"""An in-process JobContext for the trainers' tests: records progress, can cancel itself when a
progress event matches, and answers the server callbacks itself."""

import sys
import threading
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

WORKER_DIR = Path(__file__).resolve().parents[2] / "src" / "server" / "worker" / "python"
if str(WORKER_DIR) not in sys.path:
    sys.path.insert(0, str(WORKER_DIR))

from finlabel_worker.job import JobContext  # noqa: E402

ProgressEvent = Tuple[str, Dict[str, Any]]


def roc_auc(labels: Sequence[int], scores: Sequence[float]) -> float:
    """Mann-Whitney ROC-AUC with ties counted half. A TEST STAND-IN only: the real dev metric is
    computed by the TypeScript server (evaluate/credit); the worker package has no metrics."""
    pairs = sorted(zip(scores, labels))
    positives = sum(labels)
    negatives = len(labels) - positives
    if positives == 0 or negatives == 0:
        raise ValueError("ROC-AUC needs both classes")
    rank_sum, i = 0.0, 0
    while i < len(pairs):
        j = i
        while j < len(pairs) and pairs[j][0] == pairs[i][0]:
            j += 1
        mid_rank = (i + j + 1) / 2  # 1-based average rank of the tie group
        rank_sum += mid_rank * sum(label for _, label in pairs[i:j])
        i = j
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


class LocalJob(JobContext):
    def __init__(
        self,
        job_id: str = "job-1",
        dev_labels: Sequence[int] = (),
        cancel_when: Optional[Callable[[str, Dict[str, Any]], bool]] = None,
        dev_metrics: Optional[Sequence[float]] = None,
    ) -> None:
        """`dev_metrics`: answer evaluate/credit with these values, epoch by epoch, instead of the AUC."""
        self.job_id = job_id
        self.dev_labels = list(dev_labels)
        self.cancel_when = cancel_when
        self.dev_metrics = list(dev_metrics) if dev_metrics is not None else None
        self.events: List[ProgressEvent] = []
        self.calls: List[Tuple[str, Any]] = []
        self._cancel = threading.Event()

    def progress(self, phase: str, **fields: Any) -> None:
        self.events.append((phase, fields))
        if self.cancel_when is not None and self.cancel_when(phase, fields):
            self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def call_server(self, method: str, params: Any, timeout: Optional[float] = None) -> Any:
        self.calls.append((method, params))
        if method == "evaluate/credit":
            assert params["jobId"] == self.job_id
            assert len(params["probabilities"]) == len(self.dev_labels)
            if self.dev_metrics is not None:
                return {"metric": self.dev_metrics[params["epoch"] - 1], "name": "scripted"}
            return {"metric": roc_auc(self.dev_labels, params["probabilities"]), "name": "rocAuc (test stand-in)"}
        raise NotImplementedError(f"LocalJob does not answer {method}")
