"""Long methods (train, export) run as jobs on a background thread while the main loop keeps
reading stdin, so that `cancel`, `$/cancelRequest` and the server's answers to the job's own
requests (`evaluate/entities`, ...) get through while the job runs.

One job at a time: a second job request is answered BUSY. The job's request is answered when the
job function returns (its result), raises Cancelled (CANCELLED), RpcError (that error) or anything
else (INTERNAL).
"""

import itertools
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Optional, Tuple

from .dispatcher import Dispatcher, error_response
from .errors import RpcError, failure_message, invalid
from .job import Cancelled, JobContext
from .protocol import ErrorCode, Method, Notification

log = logging.getLogger(__name__)

JobFunction = Callable[[Any, JobContext], Dict[str, Any]]
# Sends one message to the server; False when the server has gone away.
Send = Callable[[Dict[str, Any]], bool]

# At most this many progress notifications per second (phase changes and epoch ends always go out).
PROGRESS_PER_SECOND = 5.0
PROGRESS_FIELDS = (
    "epoch",
    "epochs",
    "step",
    "steps",
    "loss",
    "learningRate",
    "samplesPerSecond",
    "etaSeconds",
    "gpuMemoryBytes",
    "message",
)
COUNTERS = ("epoch", "epochs", "step", "steps")
PHASES = ("load", "train", "evaluate", "export", "save")


@dataclass
class _PendingCall:
    done: threading.Event = field(default_factory=threading.Event)
    response: Optional[Dict[str, Any]] = None


class _Calls:
    """The worker's requests to the server that wait for an answer, by id ("w1", "w2", ...)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._pending: Dict[str, _PendingCall] = {}

    def open(self) -> Tuple[str, _PendingCall]:
        with self._lock:
            call_id = f"w{next(self._ids)}"
            call = self._pending[call_id] = _PendingCall()
        return call_id, call

    def close(self, call_id: str) -> None:
        with self._lock:
            self._pending.pop(call_id, None)

    def resolve(self, message: Dict[str, Any]) -> None:
        call_id = message.get("id")
        with self._lock:
            call = self._pending.pop(call_id, None) if isinstance(call_id, str) else None
        if call is None:
            log.warning("ignoring a response to id %r: no request of the worker waits for it", call_id)
            return
        call.response = message
        call.done.set()


class _Context(JobContext):
    def __init__(self, job_id: str, send: Send, calls: _Calls) -> None:
        self.job_id = job_id
        self._send = send
        self._calls = calls
        self._cancel = threading.Event()
        self._last_phase: Optional[str] = None
        self._last_sent = 0.0

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def progress(self, phase: str, **fields: Any) -> None:
        if phase not in PHASES:
            raise ValueError(f"unknown progress phase {phase!r}")
        unknown = set(fields) - set(PROGRESS_FIELDS)
        if unknown:
            raise ValueError(f"unknown progress fields {sorted(unknown)}")
        now = time.monotonic()
        steps = fields.get("steps") or 0
        epoch_end = steps > 0 and fields.get("step") == steps
        if phase == self._last_phase and not epoch_end and now - self._last_sent < 1.0 / PROGRESS_PER_SECOND:
            return
        self._last_phase, self._last_sent = phase, now
        params: Dict[str, Any] = {"jobId": self.job_id, "phase": phase}
        for name in PROGRESS_FIELDS:
            if name == "message":
                if fields.get("message") is not None:
                    params["message"] = str(fields["message"])
                continue
            value = fields.get(name)
            params[name] = (0 if value is None else int(value)) if name in COUNTERS else value
        self._send({"jsonrpc": "2.0", "method": Notification.PROGRESS, "params": params})

    def call_server(self, method: str, params: Any, timeout: Optional[float] = None) -> Any:
        call_id, call = self._calls.open()
        deadline = None if timeout is None else time.monotonic() + timeout
        try:
            if not self._send({"jsonrpc": "2.0", "id": call_id, "method": method, "params": params}):
                raise Cancelled(f"job {self.job_id}: the server has gone away")
            while not call.done.wait(0.05):
                if self.cancelled():
                    # Tell the server to stop working on it; its answer, if any, is then ignored.
                    self._send({"jsonrpc": "2.0", "method": Method.CANCEL_REQUEST, "params": {"id": call_id}})
                    raise Cancelled(f"job {self.job_id} was cancelled while waiting for {method}")
                if deadline is not None and time.monotonic() > deadline:
                    raise RpcError(ErrorCode.INTERNAL, f"the server did not answer {method} within {timeout:g} s")
        finally:
            self._calls.close(call_id)
        response = call.response or {}
        if "error" in response:
            error = response["error"] if isinstance(response["error"], dict) else {}
            raise RpcError(
                int(error.get("code", ErrorCode.INTERNAL)),
                f"the server answered {method} with an error: {error.get('message', error)}",
                error.get("data"),
            )
        return response.get("result")


@dataclass
class _Job:
    job_id: str
    request_id: Any
    method: str
    context: _Context
    thread: threading.Thread


class JobRunner:
    def __init__(self, dispatcher: Dispatcher, send: Send) -> None:
        self._dispatcher = dispatcher
        self._send = send
        self._calls = _Calls()
        self._lock = threading.Lock()
        self._job: Optional[_Job] = None
        dispatcher.on_response(self._calls.resolve)
        dispatcher.register(Method.CANCEL, self._cancel_by_job_id)
        dispatcher.register(Method.CANCEL_REQUEST, self._cancel_by_request_id)

    def register_job(self, method: str, function: JobFunction) -> None:
        """`function(params, ctx)` runs on the job thread; its return value is the result."""
        self._dispatcher.register_deferred(method, lambda params, request_id: self._start(method, function, params, request_id))

    def stop(self, timeout: float = 60.0) -> None:
        """Cancel the running job, if any, and wait for it to answer (shutdown, end of input)."""
        with self._lock:
            job = self._job
        if job is None:
            return
        log.info("cancelling job %s before exiting", job.job_id)
        job.context.cancel()
        job.thread.join(timeout)
        if job.thread.is_alive():
            log.error("job %s did not stop within %g s", job.job_id, timeout)

    def _start(self, method: str, function: JobFunction, params: Any, request_id: Any) -> None:
        job_id = params.get("jobId") if isinstance(params, dict) else None
        if not isinstance(job_id, str) or not job_id:
            raise invalid(f"{method} needs params.jobId (a non-empty string)")
        with self._lock:
            if self._job is not None:
                raise RpcError(
                    ErrorCode.BUSY,
                    f"the worker is running job {self._job.job_id} ({self._job.method}); cancel it or wait for it to end",
                    {"jobId": self._job.job_id},
                )
            context = _Context(job_id, self._send, self._calls)
            thread = threading.Thread(target=self._run, args=(method, function, params, request_id, context), name=f"job-{job_id}", daemon=True)
            self._job = _Job(job_id, request_id, method, context, thread)
        log.info("job %s (%s) started", job_id, method)
        thread.start()

    def _run(self, method: str, function: JobFunction, params: Any, request_id: Any, context: _Context) -> None:
        response: Dict[str, Any]
        started = time.monotonic()
        try:
            response = {"jsonrpc": "2.0", "id": request_id, "result": function(params, context)}
            log.info("job %s (%s) finished in %.1f s", context.job_id, method, time.monotonic() - started)
        except Cancelled as e:
            log.info("job %s (%s) cancelled: %s", context.job_id, method, e)
            response = error_response(request_id, RpcError(ErrorCode.CANCELLED, f"{method} job {context.job_id} was cancelled"))
        except RpcError as e:
            log.info("job %s (%s) failed: %s", context.job_id, method, e.message)
            response = error_response(request_id, e)
        except Exception as e:  # noqa: BLE001 - a job bug must not take the worker down
            log.exception("job %s (%s) raised", context.job_id, method)
            response = error_response(request_id, RpcError(ErrorCode.INTERNAL, failure_message(method, e)))
        # Free the slot before answering, so the server may start the next job as soon as it reads this.
        with self._lock:
            self._job = None
        self._send(response)

    def _cancel_by_job_id(self, params: Any) -> Dict[str, bool]:
        job_id = params.get("jobId") if isinstance(params, dict) else None
        if not isinstance(job_id, str):
            raise invalid("cancel needs params {jobId: string}")
        return {"cancelled": self._cancel_where(lambda job: job.job_id == job_id)}

    def _cancel_by_request_id(self, params: Any) -> None:
        request_id = params.get("id") if isinstance(params, dict) else None
        if request_id is not None:
            self._cancel_where(lambda job: job.request_id == request_id)

    def _cancel_where(self, matches: Callable[[_Job], bool]) -> bool:
        with self._lock:
            job = self._job
        if job is None or not matches(job):
            return False
        log.info("cancelling job %s", job.job_id)
        job.context.cancel()
        return True
