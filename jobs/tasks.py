"""The periodic sweep and the worker-start hook that run the registered resumers."""

from django.conf import settings
from django.db import close_old_connections
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task

from jobs.resume import resume_stalled


@db_periodic_task(crontab(minute=f"*/{settings.JOBS_RESUME_EVERY_MINUTES}"), name="jobs.resume_stalled")
def resume_stalled_periodically() -> None:
    resume_stalled()


@HUEY.on_startup(name="jobs.resume_on_startup")
def resume_on_worker_start() -> None:
    # Runs in each worker as the consumer starts, so work stranded by the previous consumer restarts promptly.
    try:
        resume_stalled()
    finally:
        close_old_connections()
