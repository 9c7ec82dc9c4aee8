"""Base-protocol framing used by vscode-jsonrpc and LSP: `Content-Length: N\\r\\n\\r\\n` + N bytes
of UTF-8 JSON.

Hand-written rather than taken from python-lsp-jsonrpc (pylsp_jsonrpc.streams, 1.1.2): its reader
reads to end of stream when Content-Length is missing (a malformed frame hangs the worker until
stdin closes), ends with UnboundLocalError when that header is not a number, only accepts
Content-Length as the first header with that exact case, and pulls in ujson. The format is small
enough that a strict, tested reader is less risk than working around those.
"""

import json
import threading
from typing import Any, BinaryIO, Dict, Optional

# A header line longer than this is not a header: treat the block as malformed.
MAX_HEADER_LINE = 8192


class FrameError(Exception):
    """A malformed header block. It has been consumed: the caller may log it and read on."""


class MessageReader:
    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream

    def read(self) -> Optional[bytes]:
        """The next message body, or None when the stream ends (also mid-frame)."""
        content_length: Optional[int] = None
        problems = []
        seen_any = False
        while True:
            line = self._stream.readline(MAX_HEADER_LINE + 1)
            if not line:
                if seen_any:
                    raise EOFError("stream ended inside a message header")
                return None
            seen_any = True
            if len(line) > MAX_HEADER_LINE:
                self._skip_rest_of_line(line)
                problems.append(f"header line longer than {MAX_HEADER_LINE} bytes")
                continue
            text = line.rstrip(b"\r\n")
            if not text:
                break
            name, sep, value = text.partition(b":")
            if not sep:
                problems.append(f"header without ':' {text[:80]!r}")
                continue
            if name.strip().lower() == b"content-length":
                try:
                    content_length = int(value.strip())
                    if content_length < 0:
                        raise ValueError
                except ValueError:
                    problems.append(f"invalid Content-Length {value.strip()[:40]!r}")
                    content_length = None
        if content_length is None:
            problems.append("no valid Content-Length header")
            raise FrameError("malformed message header: " + "; ".join(problems))
        body = self._stream.read(content_length)
        if body is None or len(body) < content_length:
            raise EOFError(f"stream ended inside a message body ({len(body or b'')} of {content_length} bytes)")
        return body

    def _skip_rest_of_line(self, line: bytes) -> None:
        while line and not line.endswith(b"\n"):
            line = self._stream.readline(MAX_HEADER_LINE)


class MessageWriter:
    """Thread-safe, so later long-running handlers can stream progress notifications."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._lock = threading.Lock()

    def write(self, message: Dict[str, Any]) -> None:
        body = json.dumps(message, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")
        frame = b"Content-Length: %d\r\n\r\n" % len(body) + body
        with self._lock:
            self._stream.write(frame)
            self._stream.flush()
