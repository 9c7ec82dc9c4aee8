"""The worker's methods. Later: train, evaluate, export, predict, cancel."""

import logging
import os
import sys
from typing import Any, Callable

from .device import device_info
from .dispatcher import Dispatcher
from .errors import RpcError
from .protocol import ErrorCode, Method

log = logging.getLogger(__name__)


def build_dispatcher(request_exit: Callable[[int], None]) -> Dispatcher:
    """`request_exit(code)` makes the server exit after sending the current response."""
    dispatcher = Dispatcher()
    dispatcher.register(Method.DEVICE_INFO, lambda _params: device_info())
    dispatcher.register(Method.SHUTDOWN, lambda _params: _shutdown(request_exit))
    dispatcher.register(Method.CRASH, _crash)
    return dispatcher


def _shutdown(request_exit: Callable[[int], None]) -> None:
    log.info("shutdown requested")
    request_exit(0)
    return None


def _crash(params: Any) -> None:
    code = params.get("code") if isinstance(params, dict) else None
    if not isinstance(code, int) or isinstance(code, bool) or not 0 <= code <= 255:
        raise RpcError(ErrorCode.INVALID_PARAMS, "debug/crash needs params {code: integer 0..255}")
    sys.stderr.write(f"finlabel-worker: debug/crash requested, exiting with code {code}\n")
    sys.stderr.flush()
    os._exit(code)
