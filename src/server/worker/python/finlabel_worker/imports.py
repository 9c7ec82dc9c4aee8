"""Lazy imports of the heavy packages, so the worker starts (and can say what is missing)
even in an interpreter that lacks them."""

import importlib
import sys
from types import ModuleType

from .errors import MissingPackageError


def require(package: str) -> ModuleType:
    """Import `package` or raise MissingPackageError naming it."""
    try:
        return importlib.import_module(package)
    except ImportError as e:
        # Also covers a package that is present but broken (one of its own imports fails):
        # the fix, reinstalling the requirements, is the same.
        raise MissingPackageError(package, sys.executable, e) from e
