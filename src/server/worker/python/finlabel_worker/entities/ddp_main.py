"""One process of a DistributedDataParallel entity training, started by torchrun (see ddp.py):
`python -m finlabel_worker.entities.ddp_main EXCHANGE_FOLDER`."""

import json
import logging
import os
import sys
import time
from pathlib import Path
from typing import Any

from ..artifacts import write_json
from ..errors import RpcError
from ..imports import require
from ..job import JobContext
from ..train_common import seed_everything
from .ddp import QuietContext, RelayContext
from .model import build_model
from .params import parse_train_params
from .train import Group, check_data_fits, fit, save_model


class TorchGroup(Group):
    """The torch.distributed process group torchrun set up."""

    def __init__(self, device: Any) -> None:
        self._dist = require("torch.distributed")
        self.rank = self._dist.get_rank()
        self.world = self._dist.get_world_size()
        self._device = device

    def all_reduce_sum(self, value: float) -> float:
        torch = require("torch")
        tensor = torch.tensor([value], dtype=torch.float64, device=self._device)
        self._dist.all_reduce(tensor)
        return float(tensor.item())

    def broadcast(self, value: Any) -> Any:
        box = [value]
        self._dist.broadcast_object_list(box, src=0)
        return box[0]

    def wrap(self, model: Any) -> Any:
        ddp = require("torch.nn.parallel")
        device_ids = [self._device.index] if self._device.type == "cuda" else None
        return ddp.DistributedDataParallel(model, device_ids=device_ids)


def main(exchange: Path) -> int:
    started = time.monotonic()
    torch = require("torch")
    spec = json.loads((exchange / "spec.json").read_text(encoding="utf-8"))
    job = parse_train_params(spec["params"])
    use_cuda = torch.cuda.is_available() and job.hyper.device != "cpu"
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    if use_cuda:
        torch.cuda.set_device(local_rank)
    device = torch.device("cuda", local_rank) if use_cuda else torch.device("cpu")
    dist = require("torch.distributed")
    dist.init_process_group(backend="nccl" if use_cuda else "gloo")
    group = TorchGroup(device)
    logging.getLogger("finlabel_worker.ddp").info("rank %d of %d: backend %s on %s", group.rank, group.world, dist.get_backend(), device)
    ctx: JobContext = RelayContext(exchange, job.job_id, int(spec["workerPid"])) if group.rank == 0 else QuietContext(job.job_id)
    try:
        seed_everything(job.hyper.seed)
        model = build_model(job.base, job.labels)
        check_data_fits(job, model.config)
        outcome = fit(model, job, device, ctx, group)
        if group.rank == 0:
            result = save_model(model, job, Path(spec["staging"]), outcome, device, started, ctx)
            write_json(exchange / "result.json", result)
        dist.barrier()
    except RpcError as e:
        if group.rank == 0:
            write_json(exchange / "error.json", e.to_json())
        return 1
    finally:
        dist.destroy_process_group()
    return 0


if __name__ == "__main__":
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(asctime)s %(levelname)s rank %(process)d %(name)s: %(message)s")
    sys.exit(main(Path(sys.argv[1])))
