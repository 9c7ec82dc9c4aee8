"""bench/gpu_training.py --smoke in the worker's test command, so the GPU benchmark cannot rot: the
whole script (the entity trainer's job, the credit train step and scorer, the blog-post style baselines
and the table) on tiny shapes, taking CUDA's branches on the CPU. Its figures mean nothing."""

import os
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.cuda_path_on_cpu

REPO = Path(__file__).resolve().parents[2]


def test_cuda_path_on_cpu_gpu_benchmark_smoke_run_prints_its_table(python_with_torch: str) -> None:
    pytest.importorskip("peft")
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONUNBUFFERED": "1"}
    run = subprocess.run(
        [python_with_torch, str(REPO / "bench" / "gpu_training.py"), "--smoke", "--repeats", "1"],
        cwd=str(REPO),
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, f"exit {run.returncode}\n{run.stderr[-4000:]}"
    table = run.stdout
    assert table.startswith("SMOKE RUN (tiny shapes on CPU; figures meaningless) on CPU (")
    assert "taking CUDA's branches (bf16 autocast, fused AdamW)" in table.splitlines()[0]
    for row in (
        "| work | FinLabel | blog-post style | ratio |",
        "| BERT-base entity training (2 x 64, 7 tags) |",
        "| Qwen2-7B-shape LoRA training, r=8 on q,k,v,o (2 x 64,",
        "| LoRA training in a 24 GiB cap, gradient checkpointing | n/a (no CUDA) |",
        "| Qwen2-7B-shape credit scoring, 96-token prompts |",
    ):
        assert row in table, f"{row!r} missing from\n{table}"
    assert "nan" not in table.lower() and " 0.0 samples/s" not in table
