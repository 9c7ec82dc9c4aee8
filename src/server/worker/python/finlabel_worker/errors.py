"""Errors a handler raises to answer a request with a JSON-RPC error object."""

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


class MissingPackageError(RpcError):
    def __init__(self, package: str, python: str, cause: BaseException) -> None:
        super().__init__(
            ErrorCode.MISSING_PACKAGE,
            f"The Python package '{package}' cannot be imported by {python} ({cause}). {ENVIRONMENT_HINT}",
            {"package": package},
        )
        self.package = package
