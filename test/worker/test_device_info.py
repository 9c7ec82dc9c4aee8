import json
import platform
import subprocess
import sys

from worker_client import WorkerClient


def torch_facts(python: str) -> dict:
    script = "import json, torch; print(json.dumps({'version': str(torch.__version__), 'cuda': torch.cuda.is_available()}))"
    out = subprocess.run([python, "-c", script], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_device_info_reports_installed_torch_and_device(python_with_torch: str, start_worker) -> None:
    facts = torch_facts(python_with_torch)
    worker: WorkerClient = start_worker(python_with_torch)

    info = worker.request("deviceInfo")["result"]

    assert info["torchVersion"] == facts["version"]
    assert info["pythonVersion"] == platform.python_version()
    assert info["pythonExecutable"] == sys.executable
    assert isinstance(info["name"], str) and info["name"]
    if facts["cuda"]:
        assert info["device"] == "cuda"
        assert info["deviceCount"] >= 1 and info["memoryBytes"] > 0 and info["cudaVersion"]
    else:
        assert info["device"] == "cpu"
        assert info["deviceCount"] == 1
        assert info["memoryBytes"] is None and info["cudaVersion"] is None
    assert set(info) == {
        "device",
        "name",
        "deviceCount",
        "memoryBytes",
        "torchVersion",
        "cudaVersion",
        "pythonVersion",
        "pythonExecutable",
    }


def test_device_info_without_torch_is_a_missing_package_error(python_without_torch: str, start_worker) -> None:
    worker: WorkerClient = start_worker(python_without_torch)

    error = worker.request("deviceInfo")["error"]

    assert error["code"] == -32010
    assert error["data"] == {"package": "torch"}
    assert "FinLabel: Create Python Environment for the Worker" in error["message"]
    assert "finlabel.python.interpreterPath" in error["message"]
    # The worker stays up and usable.
    assert worker.request("shutdown") == {"jsonrpc": "2.0", "id": 2, "result": None}
    assert worker.wait() == 0
