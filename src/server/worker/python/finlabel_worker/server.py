"""Read messages, dispatch them, write responses, until shutdown or end of input."""

import json
import logging
from typing import Callable, List, Optional

from .dispatcher import Dispatcher, error_response
from .errors import RpcError
from .framing import FrameError, MessageReader, MessageWriter
from .protocol import ErrorCode

log = logging.getLogger(__name__)


class Server:
    def __init__(self, reader: MessageReader, writer: MessageWriter) -> None:
        self._reader = reader
        self._writer = writer
        self._exit_code: Optional[int] = None
        self._before_exit: List[Callable[[], None]] = []

    def request_exit(self, code: int) -> None:
        self._exit_code = code

    def before_exit(self, action: Callable[[], None]) -> None:
        """Run `action` when the loop ends for any reason (shutdown, end of input)."""
        self._before_exit.append(action)

    def serve(self, dispatcher: Dispatcher) -> int:
        """Returns the process exit code."""
        try:
            return self._loop(dispatcher)
        finally:
            for action in self._before_exit:
                action()

    def send(self, message: dict) -> bool:
        """Thread-safe (the writer holds a lock); False when the client has gone away."""
        return self._send(message)

    def _loop(self, dispatcher: Dispatcher) -> int:
        while self._exit_code is None:
            try:
                body = self._reader.read()
            except FrameError as e:
                # The header block is consumed; the next frame may still be good.
                log.error("%s", e)
                continue
            except EOFError as e:
                log.error("input closed: %s", e)
                return 1
            if body is None:
                log.info("input closed, exiting")
                return 0
            try:
                message = json.loads(body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError) as e:
                log.error("malformed message body (%s): %r", e, body[:200])
                self._send(error_response(None, RpcError(ErrorCode.PARSE_ERROR, f"Parse error: {e}")))
                continue
            response = dispatcher.handle(message)
            if response is not None and not self._send(response):
                return 0
        return self._exit_code

    def _send(self, response: dict) -> bool:
        """False when the client has gone away."""
        try:
            self._writer.write(response)
        except (BrokenPipeError, ConnectionResetError):
            log.info("output closed, exiting")
            return False
        except (TypeError, ValueError) as e:
            log.exception("cannot encode the response to id %r", response.get("id"))
            error = RpcError(ErrorCode.INTERNAL, f"the result could not be encoded as JSON: {e}")
            self._writer.write(error_response(response.get("id"), error))
        return True
