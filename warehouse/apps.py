from django.apps import AppConfig


class WarehouseConfig(AppConfig):
    name = "warehouse"
    verbose_name = "Data warehouse"

    def ready(self) -> None:
        from warehouse import checks  # noqa: F401  (registers the start-up checks)
