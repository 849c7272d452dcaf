"""Sweeper: temporary files (uploads being received, local copies, transcodes) that nobody will come back for.

Everything under FILE_UPLOAD_TEMP_DIR is temporary. A name carrying a process tag (processes.temp_prefix) whose
process on this machine has exited is removed at once; anything else once untouched for
JOBS_TEMP_FILE_GRACE_SECONDS (longer than any job's time limit, so a file in use is never taken away).
"""

import shutil
import time
from pathlib import Path

from django.conf import settings

from jobs import processes
from jobs.sweep import sweeper


def _abandoned(entry: Path, *, older_than: float) -> bool:
    if processes.TAG_PATTERN.search(entry.name) and processes.is_dead(entry.name):
        return True
    try:
        return entry.lstat().st_mtime < older_than
    except FileNotFoundError:
        return False


@sweeper
def remove_abandoned_temp_files() -> list[str]:
    folder = Path(settings.FILE_UPLOAD_TEMP_DIR)
    older_than = time.time() - float(settings.JOBS_TEMP_FILE_GRACE_SECONDS)
    removed = []
    for entry in folder.iterdir() if folder.is_dir() else []:
        if not _abandoned(entry, older_than=older_than):
            continue
        try:
            size = entry.lstat().st_size
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        except FileNotFoundError:
            continue  # its owner (or another sweeper) removed it meanwhile
        removed.append(f"temporary file {entry.name} ({size} bytes)")
    return removed
