"""train/entities with hyper.processes > 1: DistributedDataParallel under torchrun.

The worker (parent) stages the model folder, then runs
    python -m torch.distributed.run --standalone --nproc_per_node N -m finlabel_worker.entities.ddp_main EXCHANGE
in a new process group. Every process runs the same training loop (train.fit) on its share of each
global batch (backend nccl on CUDA, gloo on CPU). Rank 0 talks to the parent through files in the
EXCHANGE folder, which keeps torchrun's own stdin/stdout handling out of the way:

- spec.json      (parent -> ranks) the EntityTrainParams, the staging folder, the parent's pid;
- events.jsonl   (rank 0 -> parent) one JSON object a line: {"type": "progress", "phase", ...fields}
                 or {"type": "call", "id": n, "method", "params"} (a request for the server);
- answers/N.json (parent -> rank 0) {"result": ...} or {"error": {code, message, data}};
- result.json    (rank 0 -> parent) the TrainResult, written after rank 0 saved the model into the
                 staging folder; error.json instead when rank 0 failed with a worker error.

Cancel kills the whole process group; the staging folder is then deleted as for any other failure.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, Optional

from ..artifacts import staged_model_folder
from ..errors import RpcError, invalid
from ..imports import require
from ..job import JobContext
from ..protocol import ErrorCode
from ..train_common import select_device
from .params import EntityTrainJob

WORKER_PYTHONPATH = str(Path(__file__).resolve().parents[2])
POLL_SECONDS = 0.05


def train_distributed(params: Dict[str, Any], job: EntityTrainJob, ctx: JobContext) -> Dict[str, Any]:
    check_devices(job)
    exchange = Path(tempfile.mkdtemp(prefix="finlabel-ddp-"))
    try:
        with staged_model_folder(job.output_dir) as staging:
            (exchange / "answers").mkdir()
            spec = {"params": params, "staging": str(staging), "workerPid": os.getpid()}
            (exchange / "spec.json").write_text(json.dumps(spec), encoding="utf-8")
            ctx.progress("load", epochs=job.hyper.epochs, message=f"starting {job.hyper.processes} processes under torchrun")
            _run_torchrun(exchange, job.hyper.processes, ctx)
            result_file = exchange / "result.json"
            if not result_file.exists():
                raise RpcError(ErrorCode.INTERNAL, "torchrun ended without a result; see the worker log")
            result: Dict[str, Any] = json.loads(result_file.read_text(encoding="utf-8"))
        return result
    finally:
        shutil.rmtree(exchange, ignore_errors=True)


def check_devices(job: EntityTrainJob) -> None:
    """Refused before torchrun starts, as one process refuses it: hyper.device cuda without CUDA
    (the ranks would quietly train on the CPU), and more processes than CUDA devices (one GPU per
    process under nccl; a rank without one fails deep in torch.cuda.set_device)."""
    device = select_device(job.hyper.device)
    if device.type == "cuda":
        torch = require("torch")
        count = torch.cuda.device_count()
        if job.hyper.processes > count:
            raise invalid(
                f"hyper.processes is {job.hyper.processes}, but there {'is 1 CUDA device' if count == 1 else f'are {count} CUDA devices'}: "
                "train with one process per GPU, or set hyper.device to cpu",
            )


def _run_torchrun(exchange: Path, processes: int, ctx: JobContext) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [WORKER_PYTHONPATH, os.environ.get("PYTHONPATH")]))}
    command = [
        sys.executable,
        "-m",
        "torch.distributed.run",
        "--standalone",
        "--nproc_per_node",
        str(processes),
        "-m",
        "finlabel_worker.entities.ddp_main",
        str(exchange),
    ]
    # The worker's fd 1 already goes to stderr (stdio.claim_stdio): torchrun's output lands in the log.
    process = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=sys.stderr, stderr=sys.stderr, start_new_session=True)
    relay = _Relay(exchange, ctx)
    try:
        while process.poll() is None:
            relay.pump()
            ctx.check_cancelled()
            time.sleep(POLL_SECONDS)
        relay.pump()
    except BaseException:
        _kill_group(process)
        raise
    error_file = exchange / "error.json"
    if error_file.exists():
        error = json.loads(error_file.read_text(encoding="utf-8"))
        raise RpcError(int(error["code"]), str(error["message"]), error.get("data"))
    if process.returncode != 0:
        raise RpcError(ErrorCode.INTERNAL, f"torchrun exited with code {process.returncode}; see the worker log")


class _Relay:
    """Forwards rank 0's events: progress to the job's context, calls to the server."""

    def __init__(self, exchange: Path, ctx: JobContext) -> None:
        self._events = exchange / "events.jsonl"
        self._answers = exchange / "answers"
        self._ctx = ctx
        self._offset = 0

    def pump(self) -> None:
        if not self._events.exists():
            return
        with self._events.open("rb") as f:
            f.seek(self._offset)
            data = f.read()
        complete = data[: data.rfind(b"\n") + 1]
        self._offset += len(complete)
        for line in complete.splitlines():
            self._handle(json.loads(line))

    def _handle(self, event: Dict[str, Any]) -> None:
        if event["type"] == "progress":
            fields = {k: v for k, v in event.items() if k not in ("type", "phase")}
            self._ctx.progress(event["phase"], **fields)
            return
        answer: Dict[str, Any]
        try:
            answer = {"result": self._ctx.call_server(event["method"], event["params"])}
        except RpcError as e:
            answer = {"error": e.to_json()}
        target = self._answers / f"{event['id']}.json"
        temporary = target.with_suffix(".tmp")
        temporary.write_text(json.dumps(answer), encoding="utf-8")
        os.replace(temporary, target)


def _kill_group(process: "subprocess.Popen[bytes]") -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    except ProcessLookupError:
        pass


class RelayContext(JobContext):
    """Rank 0's side of the exchange (used by ddp_main)."""

    def __init__(self, exchange: Path, job_id: str, worker_pid: int) -> None:
        self.job_id = job_id
        self._exchange = exchange
        self._worker_pid = worker_pid
        self._events = (exchange / "events.jsonl").open("a", encoding="utf-8")
        self._calls = 0

    def progress(self, phase: str, **fields: Any) -> None:
        self._write({"type": "progress", "phase": phase, **fields})

    def cancelled(self) -> bool:
        """The parent cancels by killing the process group; here only notice a vanished worker."""
        try:
            os.kill(self._worker_pid, 0)
            return False
        except ProcessLookupError:
            return True

    def call_server(self, method: str, params: Any, timeout: Optional[float] = None) -> Any:
        self._calls += 1
        answer_file = self._exchange / "answers" / f"{self._calls}.json"
        self._write({"type": "call", "id": self._calls, "method": method, "params": params})
        deadline = None if timeout is None else time.monotonic() + timeout
        while not answer_file.exists():
            self.check_cancelled()
            if deadline is not None and time.monotonic() > deadline:
                raise RpcError(ErrorCode.INTERNAL, f"the server did not answer {method} within {timeout:g} s")
            time.sleep(POLL_SECONDS)
        answer = json.loads(answer_file.read_text(encoding="utf-8"))
        if "error" in answer:
            error = answer["error"]
            raise RpcError(int(error["code"]), str(error["message"]), error.get("data"))
        return answer["result"]

    def _write(self, event: Dict[str, Any]) -> None:
        self._events.write(json.dumps(event) + "\n")
        self._events.flush()


class QuietContext(JobContext):
    """Ranks other than 0: no progress, no server calls (rank 0 makes them and broadcasts)."""

    def __init__(self, job_id: str) -> None:
        self.job_id = job_id

    def progress(self, phase: str, **fields: Any) -> None:
        pass

    def cancelled(self) -> bool:
        return False

    def call_server(self, method: str, params: Any, timeout: Optional[float] = None) -> Any:
        raise RuntimeError("only rank 0 calls the server")


__all__ = ["train_distributed", "RelayContext", "QuietContext"]
