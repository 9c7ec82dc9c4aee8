"""Entry point: `python -u -m finlabel_worker` (JSON-RPC on stdin/stdout, logs on stderr)."""

import logging
import os
import sys

from .framing import MessageReader, MessageWriter
from .handlers import build_dispatcher
from .server import Server
from .stdio import claim_stdio


def main() -> int:
    # The worker's own messages at FINLABEL_WORKER_LOG_LEVEL; libraries' only from WARNING up (ONNX
    # Runtime's quantizer alone wrote hundreds of INFO lines into the editor's output per export).
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("finlabel_worker").setLevel(os.environ.get("FINLABEL_WORKER_LOG_LEVEL", "INFO").upper())
    protocol_in, protocol_out = claim_stdio()
    server = Server(MessageReader(protocol_in), MessageWriter(protocol_out))
    logging.getLogger("finlabel_worker").info("worker started (pid %d, %s)", os.getpid(), sys.executable)
    return server.serve(build_dispatcher(server))


if __name__ == "__main__":
    sys.exit(main())
