"""Sweeper: stored recordings that no interview points at (a process died between storing and saving)."""

import time

from django.conf import settings

from interviews_api import recordings
from interviews_api.models import UserInterview
from jobs.sweep import sweeper

FOLDER = "interviews"


@sweeper
def remove_orphaned_recordings() -> list[str]:
    """Files under interviews/<project>/ that no row references and that are older than the grace period.

    Young files are kept: a create or a replacement stores its file before its row commits.
    """
    storage = recordings.storage()
    cutoff = time.time() - float(settings.INTERVIEW_ORPHAN_GRACE_SECONDS)
    removed = []
    project_folders = storage.listdir(FOLDER)[0] if storage.exists(FOLDER) else []
    for project_folder in project_folders:
        prefix = f"{FOLDER}/{project_folder}"
        names = {f"{prefix}/{name}" for name in storage.listdir(prefix)[1]}
        if not names:
            continue
        used = set(UserInterview.objects.filter(recording__in=names).values_list("recording", flat=True))
        for name in sorted(names - used):
            try:
                if storage.get_modified_time(name).timestamp() >= cutoff:
                    continue
                storage.delete(name)
            except FileNotFoundError:
                continue
            removed.append(f"unreferenced recording {name}")
    return removed
