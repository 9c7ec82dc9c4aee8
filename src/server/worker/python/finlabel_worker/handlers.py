"""The worker's method table: short methods answer inline, long ones run as jobs (jobs.py)."""

import logging
import os
import sys
from typing import Any, Callable

from .credit import score_credit, train_credit
from .credit.gbdt import gbdt_baseline
from .device import device_info
from .dispatcher import Dispatcher
from .entities.export import export_entities
from .entities.predict import predict_entities
from .entities.train import train_entities
from .errors import invalid
from .jobs import JobRunner
from .protocol import Method
from .server import Server

log = logging.getLogger(__name__)


def build_dispatcher(server: Server) -> Dispatcher:
    dispatcher = Dispatcher()
    runner = JobRunner(dispatcher, server.send)
    server.before_exit(runner.stop)
    dispatcher.register(Method.DEVICE_INFO, lambda _params: device_info())
    dispatcher.register(Method.SHUTDOWN, lambda _params: _shutdown(runner, server.request_exit))
    dispatcher.register(Method.CRASH, _crash)
    dispatcher.register(Method.PREDICT_ENTITIES, predict_entities)
    runner.register_job(Method.TRAIN_ENTITIES, train_entities)
    runner.register_job(Method.EXPORT_ENTITIES, export_entities)
    dispatcher.register(Method.SCORE_CREDIT, score_credit)
    dispatcher.register(Method.GBDT_BASELINE, gbdt_baseline)
    runner.register_job(Method.TRAIN_CREDIT, train_credit)
    return dispatcher


def _shutdown(runner: JobRunner, request_exit: Callable[[int], None]) -> None:
    """A running job is cancelled (and answers CANCELLED) before shutdown is answered."""
    log.info("shutdown requested")
    runner.stop()
    request_exit(0)
    return None


def _crash(params: Any) -> None:
    code = params.get("code") if isinstance(params, dict) else None
    if not isinstance(code, int) or isinstance(code, bool) or not 0 <= code <= 255:
        raise invalid("debug/crash needs params {code: integer 0..255}")
    sys.stderr.write(f"finlabel-worker: debug/crash requested, exiting with code {code}\n")
    sys.stderr.flush()
    os._exit(code)
