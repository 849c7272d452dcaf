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
- `@job(kind=..., time_limit=..., project_of=..., on_lease_lost=...)`: the job runs under a lease (jobs.leases)
  that its worker renews; when the worker dies or the job overruns its time limit, the sweep calls
  `on_lease_lost`. `check_deadline()` / `remaining_seconds()` let long loops honour the time limit. Taking a
  lease enforces fairness (JOBS_MAX_RUNNING_PER_KIND, JOBS_MAX_RUNNING_PER_PROJECT).
- `@resumer`: register a function that re-enqueues work a dead worker left behind.
- `@sweeper`: register a cleanup (jobs.sweep documents the contract). Leases are reaped, resumers and sweepers
  run when a worker starts, every JOBS_SWEEP_INTERVAL_SECONDS, and on `manage.py sweep_jobs`.

Import each name from its module (this package re-exports nothing, so its modules form no import cycle):
`jobs.queue` (job, RetryPolicy, wait_for, current_job_id, check_deadline, remaining_seconds, TimeLimitExceeded),
`jobs.leases` (LostLease, is_live), `jobs.resume` (resumer), `jobs.sweep` (sweeper, run_sweep, reap_dead_leases).
"""
