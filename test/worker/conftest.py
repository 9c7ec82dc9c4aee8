import importlib.util
import subprocess
import sys
import venv
from pathlib import Path
from typing import Callable, Iterator, List

import pytest
from worker_client import WorkerClient

CUDA_PATH_MARKER = "cuda_path_on_cpu"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{CUDA_PATH_MARKER}: a branch only CUDA takes in the product (bf16 autocast, fused AdamW, the OUT_OF_MEMORY "
        "answer, DDP, 4-bit refusals, the GPU benchmark) run on the CPU; select them with -m " + CUDA_PATH_MARKER,
    )


def cuda_available() -> bool:
    """Whether the worker's trainers will pick CUDA (hyper.device auto): the suite also runs on a GPU
    machine (bench/h100_check.sh), where results name cuda and report peak GPU memory."""
    if importlib.util.find_spec("torch") is None:
        return False
    import torch

    return bool(torch.cuda.is_available())


@pytest.fixture
def start_worker() -> Iterator[Callable[..., WorkerClient]]:
    """Start workers with a given interpreter; all are killed at the end of the test."""
    started: List[WorkerClient] = []

    def start(python: str = sys.executable, **kwargs: object) -> WorkerClient:
        client = WorkerClient(python, **kwargs)  # type: ignore[arg-type]
        started.append(client)
        return client

    yield start
    for client in started:
        client.kill()


@pytest.fixture
def worker(start_worker: Callable[..., WorkerClient]) -> WorkerClient:
    """A worker on the interpreter running the tests (the project's .venv under run-worker-tests.sh)."""
    return start_worker()


@pytest.fixture(scope="session")
def python_with_torch() -> str:
    if importlib.util.find_spec("torch") is None:
        pytest.skip("torch is not installed for this interpreter; run scripts/setup-python.sh")
    return sys.executable


@pytest.fixture(scope="session")
def python_without_torch(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A real interpreter where `import torch` fails: a fresh venv of the base Python with only
    the standard library (no site-packages shared with the test environment)."""
    env_dir = tmp_path_factory.mktemp("no-torch-venv")
    venv.EnvBuilder(with_pip=False, system_site_packages=False, symlinks=sys.platform != "win32").create(env_dir)
    python = env_dir / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    probe = subprocess.run([str(python), "-c", "import torch"], capture_output=True, text=True)
    assert probe.returncode != 0 and "torch" in probe.stderr, "torch unexpectedly importable in a bare venv"
    return str(Path(python))
