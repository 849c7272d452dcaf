"""The shared background-job layer: a thin policy layer over Huey, used by every app that queues work.

Why Huey: it is an established task queue whose storage is pluggable. The embedded default keeps the queue in a
SQLite file under DATA_DIR, so a single-machine install needs no extra service (no broker, no result backend),
and queued tasks survive a restart because they are rows in that file. In production the same code runs on Redis
(`TASK_QUEUE_URL=redis://...`, PriorityRedisHuey) with as many `manage.py run_huey` workers, on as many machines,
as needed. Celery would need a broker even for the smallest install.

What this layer adds on top of Huey:
- `@job(retry=..., on_failure=...)`: retries only errors that say so (`exc.retryable`), with exponential backoff
  (honouring `exc.retry_after`), then calls `on_failure` once; the retry count is read when the job is enqueued,
  so settings changes apply without a restart.
- `SomeJob.enqueue_on_commit(...)`: the job id is known at once (store it on your row); the task reaches the queue
  only if the transaction commits.
- `wait_for(job_id, timeout)`: block a request up to `timeout` seconds for a job to finish.
- `current_job_id()`: inside a job, its own id (compare it with the id stored on your row to skip stale runs).
- `@resumer`: register a function that re-enqueues work a dead worker left behind. Resumers run when a worker
  starts, every JOBS_RESUME_EVERY_MINUTES, and on `manage.py resume_jobs`.
"""

from jobs.queue import Job, RetryPolicy, current_job_id, is_retryable, job, wait_for
from jobs.resume import resume_stalled, resumer

__all__ = [
    "Job",
    "RetryPolicy",
    "current_job_id",
    "is_retryable",
    "job",
    "resume_stalled",
    "resumer",
    "wait_for",
]
