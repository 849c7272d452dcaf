"""Jobs on Huey: retries of retryable errors, enqueue-on-commit with a known id, waiting, leases and time limits."""

import contextvars
import functools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import close_old_connections, transaction
from huey.api import Task, TaskWrapper
from huey.contrib.djhuey import HUEY
from huey.exceptions import HueyException, ResultTimeout, RetryTask, TaskException

from jobs import leases

logger = logging.getLogger(__name__)

FailureHandler = Callable[..., None]
Seconds = float | Callable[[], float] | None
_current_job_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("current_job_id", default=None)
_deadline: contextvars.ContextVar[tuple[float, float] | None] = contextvars.ContextVar(
    "deadline", default=None
)
# Every declared job by name, so the sweep can call a job's on_lease_lost from its lease row.
registry: dict[str, "Job"] = {}


class TimeLimitExceeded(Exception):
    """The job ran past its time limit; str(e) is safe to show the client."""

    retryable = False

    def __init__(self, limit: float) -> None:
        super().__init__(f"it ran longer than its time limit of {limit:g} seconds")
        self.limit = limit


def check_deadline() -> None:
    """Raise TimeLimitExceeded when the current job is past its time limit; call it in long loops."""
    deadline = _deadline.get()
    if deadline is not None and time.monotonic() > deadline[0]:
        raise TimeLimitExceeded(deadline[1])


def remaining_seconds() -> float | None:
    """Seconds left before the current job's time limit (None outside a job, or without a limit)."""
    deadline = _deadline.get()
    return None if deadline is None else max(0.0, deadline[0] - time.monotonic())


def current_job_id() -> str | None:
    """The id of the job running in this context (the id `enqueue*` returned), else None."""
    return _current_job_id.get()


def is_retryable(exc: BaseException) -> bool:
    """An error is worth retrying when it says so (e.g. a provider's 5xx or timeout sets `retryable = True`)."""
    return bool(getattr(exc, "retryable", False))


@dataclass(frozen=True)
class RetryPolicy:
    """Up to `retries` more attempts after the first, waiting `delay * backoff**n` seconds (at most `max_delay`)."""

    retries: int = 3
    delay: float = 5.0
    backoff: float = 2.0
    max_delay: float = 600.0
    retryable: Callable[[BaseException], bool] = is_retryable

    def delay_before(self, retry_number: int, exc: BaseException | None = None) -> float:
        """Seconds to wait before retry `retry_number` (1-based); a provider's Retry-After wins when longer."""
        wanted = self.delay * self.backoff ** (retry_number - 1)
        asked = getattr(exc, "retry_after", None) or 0.0
        return min(self.max_delay, max(wanted, float(asked)))


PolicySource = RetryPolicy | Callable[[], RetryPolicy]


class Job:
    """A function run by the queue; see `job()`."""

    def __init__(
        self,
        fn: Callable[..., Any],
        *,
        retry: PolicySource,
        on_failure: FailureHandler | None,
        priority: int,
        kind: str | None = None,
        time_limit: Seconds = None,
        project_of: Callable[..., int | None] | None = None,
        on_lease_lost: Callable[..., None] | None = None,
        name: str | None = None,
    ) -> None:
        self.fn = fn
        self._retry = retry
        self.on_failure = on_failure
        self.priority = priority
        self.kind = kind
        self._time_limit = time_limit
        self.project_of = project_of
        self.on_lease_lost = on_lease_lost
        # Queued messages carry this name: a job that moves keeps its old name, or messages queued before a
        # deploy would find no task.
        self.name = name or f"{fn.__module__}.{fn.__qualname__}"
        self.task: TaskWrapper = HUEY.task(context=True, name=self.name, priority=priority)(self._run)
        functools.update_wrapper(self, fn)
        registry[self.name] = self

    @property
    def time_limit(self) -> float | None:
        value = self._time_limit() if callable(self._time_limit) else self._time_limit
        return float(value) if value else None

    @property
    def retry(self) -> RetryPolicy:
        return self._retry() if callable(self._retry) else self._retry

    def prepare(self, *args: Any, **kwargs: Any) -> Task:
        """A task with its id, not yet queued; the retry budget is fixed now, from the current policy."""
        return self.task.s(*args, retries=self.retry.retries, **kwargs)

    def enqueue(self, *args: Any, **kwargs: Any) -> str:
        """Queue the job now and return its id."""
        task = self.prepare(*args, **kwargs)
        HUEY.enqueue(task)
        return task.id

    def enqueue_on_commit(self, *args: Any, **kwargs: Any) -> str:
        """Return the job's id now; queue it when the current transaction commits (at once outside one)."""
        task = self.prepare(*args, **kwargs)
        transaction.on_commit(lambda: HUEY.enqueue(task))
        return task.id

    def _run(self, *args: Any, task: Task, **kwargs: Any) -> Any:
        if not HUEY.immediate:
            close_old_connections()
        limit = self.time_limit
        tokens = (
            _current_job_id.set(task.id),
            _deadline.set((time.monotonic() + limit, limit) if limit else None),
        )
        leased = False
        try:
            leased = self._take_lease(task, args, kwargs, limit)
            return self._attempt(task, args, kwargs)
        finally:
            if leased:
                leases.release(task.id)
            _current_job_id.reset(tokens[0])
            _deadline.reset(tokens[1])
            if not HUEY.immediate:
                close_old_connections()

    def _take_lease(self, task: Task, args: tuple, kwargs: dict, limit: float | None) -> bool:
        """On a real worker, a job with a kind runs under a lease; no room for it means "back to the queue"."""
        if HUEY.immediate or self.kind is None:
            return False
        request = leases.LeaseRequest(
            job_id=task.id,
            job_name=self.name,
            kind=self.kind,
            project_id=self.project_of(*args, **kwargs) if self.project_of else None,
            time_limit=limit,
            args=list(args),
            kwargs=kwargs,
        )
        if not leases.acquire(request):
            delay = float(settings.JOBS_BUSY_RETRY_SECONDS)
            logger.info(
                "%s %s waits %.1fs: its kind or project has every slot it may use", self.name, task.id, delay
            )
            raise RetryTask(delay=delay)  # Huey re-queues it without spending a retry
        return True

    def _attempt(self, task: Task, args: tuple, kwargs: dict) -> Any:
        policy = self.retry
        while True:
            try:
                result = self.fn(*args, **kwargs)
                # Huey stores no result for None, and a waiter would then wait in vain.
                return True if result is None else result
            except Exception as exc:
                if not (policy.retryable(exc) and task.retries > 0):
                    task.retries = 0  # so Huey itself does not retry it either
                    self._give_up(exc, args, kwargs)
                    raise
                retry_number = max(1, policy.retries - task.retries + 1)
                delay = policy.delay_before(retry_number, exc)
                logger.warning("%s failed (%s); retry %s in %.1fs", self.name, exc, retry_number, delay)
                task.retries -= 1
                if HUEY.immediate:
                    # Immediate mode (tests, development) parks delayed tasks in a schedule nobody reads.
                    time.sleep(delay)
                    continue
                # RetryTask re-adds the retry it consumes, and is not stored as a result for waiters.
                raise RetryTask(delay=delay) from exc

    def _give_up(self, exc: Exception, args: tuple, kwargs: dict) -> None:
        logger.error("%s failed for good: %r", self.name, exc)
        if self.on_failure is None:
            return
        try:
            self.on_failure(exc, *args, **kwargs)
        except Exception:
            logger.exception("on_failure handler of %s failed", self.name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Run in this process, without the queue or retries."""
        return self.fn(*args, **kwargs)


def job(
    *,
    retry: PolicySource = RetryPolicy(retries=0),
    on_failure: FailureHandler | None = None,
    priority: int = 0,
    kind: str | None = None,
    time_limit: Seconds = None,
    project_of: Callable[..., int | None] | None = None,
    on_lease_lost: Callable[..., None] | None = None,
    name: str | None = None,
) -> Callable[[Callable[..., Any]], Job]:
    """Declare a background job; `retry` and `time_limit` may be callables read from settings when needed.

    With a `kind`, the job runs under a lease (jobs.leases): `project_of(*args)` names the project it works for
    (fairness), and `on_lease_lost(lost, *args)` is called by the sweep when its worker died or it overran
    `time_limit` seconds. Inside the job, `check_deadline()` raises TimeLimitExceeded once the limit has passed.
    `name` (default: the function's module and name) is what queued messages carry; pin it when a job moves.
    """

    def decorator(fn: Callable[..., Any]) -> Job:
        return Job(
            fn,
            retry=retry,
            on_failure=on_failure,
            priority=priority,
            kind=kind,
            time_limit=time_limit,
            project_of=project_of,
            on_lease_lost=on_lease_lost,
            name=name,
        )

    return decorator


def wait_for(job_id: str, timeout: float) -> bool:
    """Block up to `timeout` seconds for the job to finish; True if it did (successfully or not)."""
    if timeout <= 0:
        return False
    # Immediate-mode jobs have run by the time anyone waits; one that has not was never enqueued.
    blocking = not HUEY.immediate
    try:
        value = HUEY.result(job_id, blocking=blocking, timeout=timeout, backoff=1.3, max_delay=0.5)
    except TaskException:
        return True
    except ResultTimeout:
        return False
    except HueyException:
        logger.exception("Could not read the result of job %s", job_id)
        return False
    return value is not None
