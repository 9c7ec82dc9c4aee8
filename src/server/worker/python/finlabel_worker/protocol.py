"""Names shared with src/common/workerProtocol.ts. Keep the two in step."""

from typing import Optional, TypedDict


class Method:
    DEVICE_INFO = "deviceInfo"
    SHUTDOWN = "shutdown"
    # Test hook: exit at once with the given code, to exercise crash handling.
    CRASH = "debug/crash"


class ErrorCode:
    # Standard JSON-RPC 2.0 codes.
    PARSE_ERROR = -32700
    INVALID_REQUEST = -32600
    METHOD_NOT_FOUND = -32601
    INVALID_PARAMS = -32602
    INTERNAL_ERROR = -32603
    # Worker codes (WorkerErrorCode in workerProtocol.ts).
    MISSING_PACKAGE = -32010
    INTERNAL = -32011


class DeviceInfo(TypedDict):
    device: str  # 'cuda' | 'cpu'
    name: str
    deviceCount: int
    memoryBytes: Optional[int]
    torchVersion: str
    cudaVersion: Optional[str]
    pythonVersion: str
    pythonExecutable: str
