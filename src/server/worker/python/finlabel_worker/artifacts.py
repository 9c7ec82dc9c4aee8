"""Model folders appear whole or not at all: everything is written into a temporary sibling
folder, which is renamed to the final name only after the last file is closed."""

import json
import os
import re
import shutil
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Dict, Iterator

from .errors import invalid


@contextmanager
def staged_model_folder(final_dir: str) -> Iterator[Path]:
    """Yields a temporary folder next to `final_dir`; renames it to `final_dir` when the block ends
    normally, deletes it when the block raises (cancel, crash of a step, out of memory)."""
    final = Path(final_dir)
    if final.exists():
        raise invalid(f"the model folder {final} already exists; choose a new name or delete it first")
    final.parent.mkdir(parents=True, exist_ok=True)
    remove_orphaned_staging(final.parent)
    staging = final.parent / f".{final.name}.partial-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    staging.mkdir()
    try:
        yield staging
        os.replace(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


_STAGING = re.compile(r"^\..+\.partial-(\d+)-[0-9a-f]{8}$")


def remove_orphaned_staging(parent: Path) -> None:
    """Deletes staging folders left in `parent` by a worker that died mid-save (killed, crashed,
    power loss): their names carry the writer's pid, and that process no longer runs."""
    for entry in parent.iterdir():
        match = _STAGING.match(entry.name)
        if match and entry.is_dir() and not _process_alive(int(match.group(1))):
            shutil.rmtree(entry, ignore_errors=True)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def write_text_files(folder: Path, files: Dict[str, str]) -> None:
    """Writes the server's text files; names must be plain file names inside the folder."""
    for name, content in files.items():
        if not name or name != os.path.basename(name) or name in (".", ".."):
            raise invalid(f"output.files: {name!r} is not a plain file name")
        (folder / name).write_text(content, encoding="utf-8")


def write_json(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
