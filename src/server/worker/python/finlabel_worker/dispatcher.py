"""JSON-RPC 2.0 message handling over a method table."""

import logging
from typing import Any, Callable, Dict, Optional

from .errors import RpcError
from .protocol import ErrorCode

log = logging.getLogger(__name__)

# A handler takes the request's params (object, array or None) and returns a JSON-able result.
Handler = Callable[[Any], Any]

Response = Dict[str, Any]


def error_response(request_id: Any, error: RpcError) -> Response:
    return {"jsonrpc": "2.0", "id": request_id, "error": error.to_json()}


class Dispatcher:
    def __init__(self) -> None:
        self._methods: Dict[str, Handler] = {}

    def register(self, method: str, handler: Handler) -> None:
        if method in self._methods:
            raise ValueError(f"method already registered: {method}")
        self._methods[method] = handler

    def handle(self, message: Any) -> Optional[Response]:
        """The response to send for one decoded message, or None (notifications, responses)."""
        if not isinstance(message, dict):
            kind = "batches are not supported" if isinstance(message, list) else "message is not an object"
            return error_response(None, RpcError(ErrorCode.INVALID_REQUEST, f"Invalid request: {kind}"))
        request_id = message.get("id")
        is_request = "id" in message
        if message.get("jsonrpc") != "2.0":
            return error_response(request_id, RpcError(ErrorCode.INVALID_REQUEST, 'Invalid request: jsonrpc must be "2.0"'))
        method = message.get("method")
        if method is None and ("result" in message or "error" in message):
            log.warning("ignoring a response to id %r: the worker sends no requests", request_id)
            return None
        if not isinstance(method, str) or (is_request and not isinstance(request_id, (str, int))):
            return error_response(request_id, RpcError(ErrorCode.INVALID_REQUEST, "Invalid request: bad method or id"))

        handler = self._methods.get(method)
        if handler is None:
            if not is_request:
                # Notifications such as $/cancelRequest or $/setTrace may be ignored.
                log.debug("ignoring notification %s", method)
                return None
            return error_response(request_id, RpcError(ErrorCode.METHOD_NOT_FOUND, f"Unhandled method {method}"))

        try:
            result = handler(message.get("params"))
        except RpcError as e:
            log.info("%s failed: %s", method, e.message)
            return error_response(request_id, e) if is_request else None
        except Exception as e:  # noqa: BLE001 - a handler bug must not take the worker down
            log.exception("%s raised", method)
            error = RpcError(ErrorCode.INTERNAL, f"{method} failed: {type(e).__name__}: {e}")
            return error_response(request_id, error) if is_request else None
        if not is_request:
            return None
        return {"jsonrpc": "2.0", "id": request_id, "result": result}
