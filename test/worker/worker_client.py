"""Test-side JSON-RPC client for the worker: its own framing, independent of the worker's."""

import json
import os
import queue
import subprocess
import threading
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

REPO_ROOT = Path(__file__).resolve().parents[2]
WORKER_DIR = REPO_ROOT / "src" / "server" / "worker" / "python"

_EOF = object()


def frame(message: Any) -> bytes:
    body = json.dumps(message, ensure_ascii=False).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


# Answers one request the worker sends to the server (e.g. evaluate/entities): params -> result.
ServerHandler = Callable[[Any], Any]
# A server handler returning this leaves the request unanswered.
NO_ANSWER = object()


class WorkerClient:
    """Plays the language server's part. The reader thread records notifications (`progress` ones
    also in `progress`) and answers the worker's own requests with `server_handlers[method]` (an error
    when there is none); everything else is queued for next_message()."""

    def __init__(self, python: str, extra_env: Optional[Dict[str, str]] = None) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = str(WORKER_DIR)
        env.update(extra_env or {})
        self.proc = subprocess.Popen(
            [python, "-u", "-m", "finlabel_worker"],
            cwd=str(WORKER_DIR),
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self._messages: "queue.Queue[Any]" = queue.Queue()
        self._stderr: List[bytes] = []
        self._next_id = 0
        self._send_lock = threading.Lock()
        self.progress: List[Dict[str, Any]] = []
        self.server_requests: List[Dict[str, Any]] = []
        self.server_handlers: Dict[str, ServerHandler] = {}
        self._notifications: List[Dict[str, Any]] = []
        threading.Thread(target=self._read_stdout, daemon=True).start()
        self._stderr_thread = threading.Thread(target=self._read_stderr, daemon=True)
        self._stderr_thread.start()

    # --- sending -------------------------------------------------------------------------

    def send_raw(self, data: bytes) -> None:
        assert self.proc.stdin is not None
        with self._send_lock:
            self.proc.stdin.write(data)
            self.proc.stdin.flush()

    def send(self, message: Any) -> None:
        self.send_raw(frame(message))

    def request(self, method: str, params: Any = None, timeout: float = 60) -> Dict[str, Any]:
        request_id = self.send_request(method, params)
        response = self.next_message(timeout)
        assert response.get("id") == request_id, response
        return response

    def send_request(self, method: str, params: Any = None) -> int:
        """Send a request without waiting; returns its id."""
        self._next_id += 1
        message: Dict[str, Any] = {"jsonrpc": "2.0", "id": self._next_id, "method": method}
        if params is not None:
            message["params"] = params
        self.send(message)
        return self._next_id

    def notifications(self, method: str) -> List[Any]:
        """The params of every `method` notification the worker sent so far."""
        return [m.get("params") for m in list(self._notifications) if m["method"] == method]

    def wait_for_progress(self, predicate: Callable[[Dict[str, Any]], bool], timeout: float = 60) -> Dict[str, Any]:
        """The first progress notification matching `predicate`, waiting for it if need be."""
        deadline = time.monotonic() + timeout
        while True:
            for item in list(self.progress):
                if predicate(item):
                    return item
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise AssertionError(f"no matching progress in {timeout}s; got {self.progress[-3:]}; stderr:\n{self.stderr[-3000:]}")
            time.sleep(0.02)

    def close_stdin(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()

    # --- receiving -----------------------------------------------------------------------

    def next_message(self, timeout: float = 60) -> Dict[str, Any]:
        try:
            message = self._messages.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no message from the worker in {timeout}s; stderr:\n{self.stderr}") from None
        if message is _EOF:
            raise AssertionError(f"worker closed stdout; stderr:\n{self.stderr}")
        return message

    def wait(self, timeout: float = 30) -> int:
        code = self.proc.wait(timeout=timeout)
        self._stderr_thread.join(timeout=5)
        return code

    def wait_for_stderr(self, text: str, timeout: float = 10.0) -> bool:
        """True once `text` appears on stderr: it is read by a thread, so it may lag a reply on stdout."""
        deadline = time.monotonic() + timeout
        while text not in self.stderr:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True

    @property
    def stderr(self) -> str:
        return b"".join(self._stderr).decode("utf-8", errors="replace")

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass

    def _read_stdout(self) -> None:
        stream = self.proc.stdout
        assert stream is not None
        try:
            while True:
                headers: Dict[str, str] = {}
                while True:
                    line = stream.readline()
                    if not line:
                        return
                    text = line.decode("ascii").rstrip("\r\n")
                    if not text:
                        break
                    name, _, value = text.partition(":")
                    headers[name.strip().lower()] = value.strip()
                length = int(headers["content-length"])
                body = stream.read(length)
                self._route(json.loads(body.decode("utf-8")))
        except Exception as e:  # noqa: BLE001 - surfaces as a test failure below
            self._messages.put({"client-error": repr(e)})
        finally:
            self._messages.put(_EOF)

    def _route(self, message: Any) -> None:
        method = message.get("method") if isinstance(message, dict) else None
        if method is not None and "id" not in message:
            self._notifications.append(message)
            if method == "progress":
                self.progress.append(message["params"])
        elif method is not None and "id" in message:
            self.server_requests.append(message)
            handler = self.server_handlers.get(method)
            try:
                if handler is None:
                    raise LookupError(f"the test client has no handler for {method}")
                result = handler(message.get("params"))
                if result is NO_ANSWER:
                    return
                answer: Dict[str, Any] = {"result": result}
            except Exception as e:  # noqa: BLE001 - the worker sees it as an error answer
                answer = {"error": {"code": -32603, "message": f"{type(e).__name__}: {e}"}}
            self.send({"jsonrpc": "2.0", "id": message["id"], **answer})
        else:
            self._messages.put(message)

    def _read_stderr(self) -> None:
        stream = self.proc.stderr
        assert stream is not None
        for chunk in iter(lambda: stream.read1(4096), b""):
            self._stderr.append(chunk)
