"""JSON-RPC 2.0 message handling over a method table."""

import logging
from typing import Any, Callable, Dict, Optional

from .errors import RpcError, failure_message
from .protocol import ErrorCode

log = logging.getLogger(__name__)

# A handler takes the request's params (object, array or None) and returns a JSON-able result.
Handler = Callable[[Any], Any]
# A deferred handler takes (params, request id) and answers the request later itself (a job);
# raising RpcError answers at once (bad params, busy).
DeferredHandler = Callable[[Any, Any], None]
# Receives responses to the requests the worker sent to the server.
ResponseHandler = Callable[[Dict[str, Any]], None]

Response = Dict[str, Any]


def error_response(request_id: Any, error: RpcError) -> Response:
    return {"jsonrpc": "2.0", "id": request_id, "error": error.to_json()}


class Dispatcher:
    def __init__(self) -> None:
        self._methods: Dict[str, Handler] = {}
        self._deferred: Dict[str, DeferredHandler] = {}
        self._on_response: Optional[ResponseHandler] = None

    def register(self, method: str, handler: Handler) -> None:
        self._check_new(method)
        self._methods[method] = handler

    def register_deferred(self, method: str, handler: DeferredHandler) -> None:
        """A method whose handler sends the response itself, later (see jobs.JobRunner)."""
        self._check_new(method)
        self._deferred[method] = handler

    def on_response(self, handler: ResponseHandler) -> None:
        """Where responses to the worker's own requests go (routed by id)."""
        self._on_response = handler

    def _check_new(self, method: str) -> None:
        if method in self._methods or method in self._deferred:
            raise ValueError(f"method already registered: {method}")

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
            if self._on_response is None:
                log.warning("ignoring a response to id %r: the worker sent no request", request_id)
            else:
                self._on_response(message)
            return None
        if not isinstance(method, str) or (is_request and not isinstance(request_id, (str, int))):
            return error_response(request_id, RpcError(ErrorCode.INVALID_REQUEST, "Invalid request: bad method or id"))

        deferred = self._deferred.get(method)
        if deferred is not None:
            if not is_request:
                log.warning("ignoring %s sent as a notification: it needs an id to answer", method)
                return None
            try:
                deferred(message.get("params"), request_id)
            except RpcError as e:
                log.info("%s refused: %s", method, e.message)
                return error_response(request_id, e)
            return None

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
            error = RpcError(ErrorCode.INTERNAL, failure_message(method, e))
            return error_response(request_id, error) if is_request else None
        if not is_request:
            return None
        return {"jsonrpc": "2.0", "id": request_id, "result": result}
