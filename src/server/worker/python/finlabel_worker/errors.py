"""Errors a handler raises to answer a request with a JSON-RPC error object."""

import os
import traceback
from typing import Any, Dict, Optional

from .protocol import ErrorCode

ENVIRONMENT_HINT = (
    'Run "FinLabel: Create Python Environment for the Worker", or set '
    "finlabel.python.interpreterPath to an interpreter that has the worker's requirements "
    "(requirements.txt)."
)


class RpcError(Exception):
    def __init__(self, code: int, message: str, data: Optional[Any] = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data

    def to_json(self) -> Dict[str, Any]:
        error: Dict[str, Any] = {"code": self.code, "message": self.message}
        if self.data is not None:
            error["data"] = self.data
        return error


def invalid(message: str) -> RpcError:
    """The INVALID_PARAMS answer to a request with a wrong field; `message` names the field."""
    return RpcError(ErrorCode.INVALID_PARAMS, message)


class MissingPackageError(RpcError):
    def __init__(self, package: str, python: str, cause: BaseException) -> None:
        super().__init__(
            ErrorCode.MISSING_PACKAGE,
            f"The Python package '{package}' cannot be imported by {python} ({cause}). {ENVIRONMENT_HINT}",
            {"package": package},
        )
        self.package = package


def failure_message(method: str, error: BaseException) -> str:
    """What a method's unexpected exception is answered with. An OS error that names no file (a
    deleted working directory once gave a bare FileNotFoundError from deep in transformers) says
    where it was raised and the worker's working directory instead."""
    message = f"{method} failed: {type(error).__name__}: {error}"
    if isinstance(error, OSError) and not error.filename:
        frames = traceback.extract_tb(error.__traceback__) if error.__traceback__ else []
        where = f" in {frames[-1].filename}:{frames[-1].lineno} ({frames[-1].name})" if frames else ""
        try:
            cwd = os.getcwd()
        except OSError:
            cwd = "a folder that no longer exists"
        message += f" (an OS error that names no file, raised{where}; the worker's working directory is {cwd})"
    return message
