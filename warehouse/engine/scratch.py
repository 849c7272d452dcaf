"""Scratch space for builds and loads, and the sweep that removes what a dead process left behind.

Each build or load works in its own folder `WAREHOUSE_DIR/scratch/<kind>_<uuid>/` (its scratch database, the
database's write-ahead log and spill files, staged input). Queries on a project's file spill into a folder of
their process, `WAREHOUSE_DIR/spill/<pid>_<uuid>/`, held for the life of the process and removed when it exits normally (never into the shared
`<file>.tmp` beside the project's file, which nobody could tell apart after a crash). The folder holds an `.owner` file locked with
flock() for as long as the work runs: the lock dies with the process, however it dies. The sweep removes
every folder whose lock it can take, so it never touches work in progress, in this process or another. (The
lock is on our own file, never on a DuckDB file: closing a descriptor of a DuckDB file would drop DuckDB's own
POSIX lock on it.)
"""

import atexit
import fcntl
import logging
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)
OWNER = ".owner"
LEGACY_GRACE_SECONDS = 24 * 3600  # scratch files of the layout before owner folders


def scratch_root() -> Path:
    return Path(settings.WAREHOUSE_DIR) / "scratch"


def spill_root() -> Path:
    return Path(settings.WAREHOUSE_DIR) / "spill"


_process_folder: dict[str, Path] = {}  # "<pid> <spill root>" -> this process's spill folder
_process_owners: list[int] = []  # descriptors kept open (and locked) until the process exits


def process_spill_dir() -> Path:
    """This process's spill folder for engine connections (created and locked on first use)."""
    key = f"{os.getpid()} {spill_root()}"
    folder = _process_folder.get(key)
    if folder is None or not folder.is_dir():
        folder = spill_root() / f"{os.getpid()}_{uuid.uuid4().hex[:12]}"
        folder.mkdir(parents=True)
        owner = os.open(folder / OWNER, os.O_CREAT | os.O_RDWR, 0o600)
        fcntl.flock(owner, fcntl.LOCK_EX)
        _process_owners.append(owner)
        _process_folder[key] = folder
        atexit.register(_remove_own_spill, folder, os.getpid())
    return folder


def _remove_own_spill(folder: Path, pid: int) -> None:
    """On a normal exit a process removes its spill folder (the sweep is only for processes that died)."""
    if os.getpid() == pid:  # a forked child inherits the handler, not the folder
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def scratch_space(kind: str) -> Iterator[Path]:
    """A private folder, owned (locked) by this process until the block ends, then removed."""
    folder = scratch_root() / f"{kind}_{uuid.uuid4().hex}"
    folder.mkdir(parents=True)
    owner = os.open(folder / OWNER, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(owner, fcntl.LOCK_EX)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        os.close(owner)


def sweep_scratch() -> list[str]:
    """Remove scratch and spill folders no live process owns (and legacy scratch files a day old)."""
    removed: list[str] = []
    for root in (scratch_root(), spill_root()):
        if root.is_dir():
            removed += _sweep(root)
    return removed


def _sweep(root: Path) -> list[str]:
    removed: list[str] = []
    for entry in sorted(root.iterdir()):
        if entry.is_dir() and _unowned(entry):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry.name)
        elif entry.is_file() and time.time() - entry.stat().st_mtime > LEGACY_GRACE_SECONDS:
            entry.unlink(missing_ok=True)
            removed.append(entry.name)
    # A spill folder is what any process stopped by a signal leaves (bin/serve's Ctrl-C, a worker's SIGTERM): routine.
    # A scratch folder is a build or load that did not finish: worth a warning.
    level = logging.INFO if root == spill_root() else logging.WARNING
    for name in removed:
        logger.log(level, "Removed warehouse %s/%s left by a process that stopped", root.name, name)
    return removed


def _unowned(folder: Path) -> bool:
    """True when no process holds the folder's owner lock (or it has none: its creator died at once)."""
    try:
        owner = os.open(folder / OWNER, os.O_RDWR)
    except FileNotFoundError:
        return time.time() - folder.stat().st_mtime > 60  # being created right now, or abandoned
    try:
        fcntl.flock(owner, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(owner)  # also releases the lock we may have taken
    return True
