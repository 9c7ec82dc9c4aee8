"""Claim the process's stdin/stdout for the protocol."""

import os
import sys
from typing import BinaryIO, Tuple


def claim_stdio() -> Tuple[BinaryIO, BinaryIO]:
    """Return binary (input, output) streams for the protocol.

    fd 0 and fd 1 are duplicated for the protocol, then fd 1 is pointed at stderr and fd 0 at
    the null device: a stray print() or input() in a library (or in C code writing to fd 1)
    then cannot corrupt or consume protocol bytes.
    """
    sys.stdout.flush()
    protocol_in = os.fdopen(os.dup(0), "rb")
    protocol_out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    null_fd = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null_fd, 0)
    os.close(null_fd)
    sys.stdout = sys.stderr
    sys.stdin = open(os.devnull, "r", encoding="utf-8")  # lives as long as the process
    return protocol_in, protocol_out
