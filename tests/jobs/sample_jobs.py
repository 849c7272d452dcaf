"""Jobs used by the jobs-layer tests; their state is kept in module globals the test reads back."""

from jobs.queue import RetryPolicy, check_deadline, current_job_id, job

calls: list[str] = []
failures: list[tuple[str, str]] = []


class Flaky(Exception):
    def __init__(self, retryable: bool, retry_after: float | None = None) -> None:
        super().__init__("flaky")
        self.retryable = retryable
        self.retry_after = retry_after


def record_failure(exc: BaseException, key: str, fail_times: int, retryable: bool = True) -> None:
    failures.append((key, type(exc).__name__))


@job(retry=RetryPolicy(retries=3, delay=0.01, backoff=2), on_failure=record_failure)
def fail_then_succeed(key: str, fail_times: int, retryable: bool = True) -> str:
    """Fails `fail_times` times (counted per key), then returns the key and its own job id."""
    calls.append(key)
    if calls.count(key) <= fail_times:
        raise Flaky(retryable)
    return f"{key}:{current_job_id()}"


def record_slow_failure(exc: BaseException, seconds: float) -> None:
    failures.append(("slow", str(exc)))


@job(time_limit=0.2, on_failure=record_slow_failure)
def slow(seconds: float) -> None:
    """Works for `seconds`, checking its deadline as long loops should."""
    import time

    started = time.monotonic()
    while time.monotonic() - started < seconds:
        check_deadline()
        time.sleep(0.01)
