from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "Background jobs"

    def ready(self) -> None:
        # Every process (web, worker, management commands) must know every job and resumer, not only the
        # Huey consumer, which autodiscovers `tasks` modules on its own.
        autodiscover_modules("tasks")
