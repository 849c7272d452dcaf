"""Jobs on Huey: a retry policy for retryable errors, enqueue-on-commit with a known id, and waiting for a job."""

import contextvars
import functools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import close_old_connections, transaction
from huey.api import Task, TaskWrapper
from huey.contrib.djhuey import HUEY
from huey.exceptions import HueyException, ResultTimeout, RetryTask, TaskException

logger = logging.getLogger(__name__)

FailureHandler = Callable[..., None]
_current_job_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("current_job_id", default=None)


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
        self, fn: Callable[..., Any], *, retry: PolicySource, on_failure: FailureHandler | None, priority: int
    ) -> None:
        self.fn = fn
        self._retry = retry
        self.on_failure = on_failure
        self.priority = priority
        self.name = f"{fn.__module__}.{fn.__qualname__}"
        self.task: TaskWrapper = HUEY.task(context=True, name=self.name, priority=priority)(self._run)
        functools.update_wrapper(self, fn)

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
        token = _current_job_id.set(task.id)
        try:
            return self._attempt(task, args, kwargs)
        finally:
            _current_job_id.reset(token)
            if not HUEY.immediate:
                close_old_connections()

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
) -> Callable[[Callable[..., Any]], Job]:
    """Declare a background job; `retry` may be a callable so its numbers come from settings at enqueue time."""

    def decorator(fn: Callable[..., Any]) -> Job:
        return Job(fn, retry=retry, on_failure=on_failure, priority=priority)

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
