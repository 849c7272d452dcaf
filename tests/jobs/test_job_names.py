"""Queued messages name their job: a job's name must not change when its code moves (a deploy would strand them)."""

import pytest

import interviews_api.tasks  # noqa: F401  (registers its jobs)
import warehouse.loading  # noqa: F401
import warehouse.materialization.jobs  # noqa: F401
from jobs.queue import HUEY, registry

# The names messages already in a queue may carry. Add a job here when you add one; never edit a line.
STABLE_NAMES = {
    "interviews_api.tasks.process_interview",
    "warehouse.tasks.materialize",
    "warehouse.tasks.load_table",
}


@pytest.mark.parametrize("name", sorted(STABLE_NAMES))
def test_a_message_queued_under_a_released_name_finds_its_task(name):
    assert name in registry
    # Huey's wire name: the module of the wrapper that runs every job, then the job's name.
    assert HUEY._registry.string_to_task(f"jobs.queue.{name}") is registry[name].task.task_class


def test_every_registered_job_has_a_released_name():
    app_jobs = {name for name in registry if not name.startswith("tests.")}
    assert app_jobs <= STABLE_NAMES, f"New job names must be added to STABLE_NAMES: {app_jobs - STABLE_NAMES}"
