"""What a long-running worker method (train, export) sees of the job running it.

The runner (jobs.py) gives each job a JobContext: progress goes to the server as `progress`
notifications, cancellation arrives from `cancel` or `$/cancelRequest`, and the server answers the
job's metric callbacks (`evaluate/entities`, `evaluate/credit`), because the server owns every metric.
"""

import abc
from typing import Any, Optional


class Cancelled(Exception):
    """Raised by JobContext.check_cancelled(); the runner answers the request with CANCELLED."""


class JobContext(abc.ABC):
    job_id: str

    @abc.abstractmethod
    def progress(self, phase: str, **fields: Any) -> None:
        """Send a `progress` notification. Fields are JobProgress's (epoch, epochs, step, steps,
        loss, learningRate, samplesPerSecond, etaSeconds, gpuMemoryBytes, message); missing ones
        are sent as null (0 for the counters). Rate-limited by the runner, except phase changes."""

    @abc.abstractmethod
    def cancelled(self) -> bool:
        """Whether cancellation was asked for."""

    def check_cancelled(self) -> None:
        """Raise Cancelled when cancellation was asked for; call it between steps."""
        if self.cancelled():
            raise Cancelled(f"job {self.job_id} was cancelled")

    @abc.abstractmethod
    def call_server(self, method: str, params: Any, timeout: Optional[float] = None) -> Any:
        """Send a request to the server and wait for its result (raises RpcError on an error
        answer, Cancelled when the job is cancelled while waiting)."""
