"""Hooks into the Huey consumer: housekeeping (lease renewal and the sweep) runs while any worker thread runs."""

from huey.contrib.djhuey import HUEY

from jobs import cleanup, maintenance  # noqa: F401 (cleanup registers its sweeper)


@HUEY.on_startup(name="jobs.maintenance_start")
def start_maintenance() -> None:
    maintenance.start()


@HUEY.on_shutdown(name="jobs.maintenance_stop")
def stop_maintenance() -> None:
    maintenance.stop()
