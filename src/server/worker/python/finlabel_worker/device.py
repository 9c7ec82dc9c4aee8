"""What the worker runs on (the DeviceInfo of workerProtocol.ts)."""

import platform
import subprocess
import sys

from .imports import require
from .protocol import DeviceInfo


def device_info() -> DeviceInfo:
    torch = require("torch")
    python = {"pythonVersion": platform.python_version(), "pythonExecutable": sys.executable}
    if torch.cuda.is_available():
        props = torch.cuda.get_device_properties(0)
        return {
            "device": "cuda",
            "name": props.name,
            "deviceCount": torch.cuda.device_count(),
            "memoryBytes": int(props.total_memory),
            "torchVersion": str(torch.__version__),
            "cudaVersion": torch.version.cuda,
            **python,
        }
    return {
        "device": "cpu",
        "name": cpu_name(),
        "deviceCount": 1,
        "memoryBytes": None,
        "torchVersion": str(torch.__version__),
        "cudaVersion": None,
        **python,
    }


def cpu_name() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key.strip() in ("model name", "Model", "Hardware") and value.strip():
                    return value.strip()
    except OSError:
        pass
    if sys.platform == "darwin":
        try:
            out = subprocess.run(["sysctl", "-n", "machdep.cpu.brand_string"], capture_output=True, text=True, timeout=5, check=True)
            if out.stdout.strip():
                return out.stdout.strip()
        except (OSError, subprocess.SubprocessError):
            pass
    return platform.processor() or platform.machine() or "unknown CPU"
