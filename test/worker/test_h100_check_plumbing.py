"""bench/h100_check.sh, the one-run GPU check, proven on the CPU: it writes its summary into the
folder given, records each step's outcome, and goes on past a step that fails or overruns its
limit. (The whole --cpu run, every step with CPU stand-ins, takes about 3 minutes; see bench/README.md.)"""

import json
import os
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.cuda_path_on_cpu

REPO = Path(__file__).resolve().parents[2]


def test_cuda_path_on_cpu_h100_check_goes_on_past_a_failing_and_an_overrunning_step(python_with_torch: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    env = {**os.environ, "PYTHON": python_with_torch, "OMP_NUM_THREADS": "1"}
    env.pop("OUT", None)
    run = subprocess.run(
        [
            "bash",
            str(REPO / "bench" / "h100_check.sh"),
            str(out),
            "--cpu",
            "--steps",
            "versions,selftest_fail,selftest_hang",
            "--budget",
            "selftest_hang=3",
            "--total-seconds",
            "150",
        ],
        cwd=str(tmp_path),
        env=env,
        capture_output=True,
        text=True,
        timeout=200,
    )
    assert run.returncode == 1, f"exit {run.returncode}\n{run.stderr[-3000:]}"
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    steps = {s["step"]: s for s in summary["steps"]}
    assert list(steps) == ["versions", "selftest_fail", "selftest_hang"]
    assert steps["versions"]["status"] == "ok"
    versions = steps["versions"]["detail"]
    for package in ("torch", "transformers", "peft", "safetensors", "onnx", "onnxruntime"):
        assert versions[package] and not str(versions[package]).startswith("not importable"), (package, versions[package])
    assert versions["pins"]["torch"] and "torch.version.cuda" in versions
    assert steps["selftest_fail"]["status"] == "failed"
    assert steps["selftest_fail"]["detail"]["error"] == "a step that fails on purpose (the run goes on)"
    assert steps["selftest_hang"]["status"] == "timeout"
    table = (out / "summary.md").read_text(encoding="utf-8")
    assert table.startswith("# FinLabel GPU check (CPU stand-ins, --cpu), ")
    assert "| selftest_hang | timeout |" in table and "| torch | " in table
    # What the GPU machine's tool returns: at most 8 plain files, no folders.
    files = sorted(p.name for p in out.iterdir())
    assert len(files) <= 8 and all((out / f).is_file() for f in files), files
    assert "===== selftest_fail" in (out / "steps.log").read_text(encoding="utf-8")
