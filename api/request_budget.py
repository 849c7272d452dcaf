"""Every in-request limit must end well before gunicorn's worker timeout, so a slow request gets our JSON error
(timeout, "processing", 408) instead of a killed worker. Checked when the server starts."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# The share of the worker timeout the limits of one request may use; the rest is for parsing, database writes and
# serialization around them.
HEADROOM = 0.75

# What one request can wait for in the worst case, as the settings that bound each step.
REQUEST_PATHS = {
    "POST /query/ (analyse the HogQL, wait for the project's file, run)": [
        "WAREHOUSE_HOGQL_ANALYSIS_TIMEOUT_SECONDS",
        "WAREHOUSE_LOCK_TIMEOUT_SECONDS",
        "WAREHOUSE_QUERY_TIMEOUT_SECONDS",
    ],
    "saved query create / update (analyse the HogQL, wait for the file, write the view)": [
        "WAREHOUSE_HOGQL_ANALYSIS_TIMEOUT_SECONDS",
        "WAREHOUSE_LOCK_TIMEOUT_SECONDS",
        "WAREHOUSE_QUERY_TIMEOUT_SECONDS",
    ],
    "warehouse table upload (read the body, wait for the file, load)": [
        "REQUEST_BODY_TIMEOUT_SECONDS",
        "WAREHOUSE_LOCK_TIMEOUT_SECONDS",
        "WAREHOUSE_QUERY_TIMEOUT_SECONDS",
    ],
    "user interview create / transcribe (read the upload, wait for processing)": [
        "REQUEST_BODY_TIMEOUT_SECONDS",
        "INTERVIEW_SYNC_WAIT_SECONDS",
    ],
}


def request_path_budgets() -> dict[str, float]:
    return {
        path: sum(float(getattr(settings, name, 0) or 0) for name in names)
        for path, names in REQUEST_PATHS.items()
    }


def check_request_budget() -> None:
    limit = float(settings.WEB_WORKER_TIMEOUT_SECONDS) * HEADROOM
    for path, total in request_path_budgets().items():
        if total > limit:
            names = " + ".join(REQUEST_PATHS[path])
            raise ImproperlyConfigured(
                f"{path}: {names} = {total:g} s does not fit well inside the worker timeout "
                f"(WEB_WORKER_TIMEOUT_SECONDS={settings.WEB_WORKER_TIMEOUT_SECONDS:g}; at most {limit:g} s). "
                "Raise the worker timeout or lower those limits."
            )
