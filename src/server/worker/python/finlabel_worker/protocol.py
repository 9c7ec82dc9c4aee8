"""Names shared with src/common/workerProtocol.ts. Keep the two in step."""

from typing import Optional, TypedDict


class Method:
    DEVICE_INFO = "deviceInfo"
    SHUTDOWN = "shutdown"
    # Test hook: exit at once with the given code, to exercise crash handling.
    CRASH = "debug/crash"
    TRAIN_ENTITIES = "train/entities"
    TRAIN_CREDIT = "train/credit"
    PREDICT_ENTITIES = "predict/entities"
    SCORE_CREDIT = "score/credit"
    GBDT_BASELINE = "baseline/gbdt"
    EXPORT_ENTITIES = "export/entities"
    CANCEL = "cancel"
    CANCEL_REQUEST = "$/cancelRequest"


class ServerCallback:
    """Requests the worker sends to the server during a job (the server owns the metrics)."""

    EVALUATE_ENTITIES = "evaluate/entities"
    EVALUATE_CREDIT = "evaluate/credit"


class Notification:
    PROGRESS = "progress"


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
    OUT_OF_MEMORY = -32012
    BASE_MODEL_INVALID = -32013
    UNSUPPORTED_ARCHITECTURE = -32014
    BUSY = -32015
    CANCELLED = -32800


class DeviceInfo(TypedDict):
    device: str  # 'cuda' | 'cpu'
    name: str
    deviceCount: int
    memoryBytes: Optional[int]
    torchVersion: str
    cudaVersion: Optional[str]
    pythonVersion: str
    pythonExecutable: str
