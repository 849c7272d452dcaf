from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API conventions"

    def ready(self) -> None:
        from api.request_budget import check_request_budget

        check_rate_settings()
        check_request_budget()


def check_rate_settings() -> None:
    """A mistyped rate stops the server at start, not the first request that reaches that limit."""
    from django.conf import settings
    from rest_framework.settings import api_settings

    from api.throttling import parse_rate

    rates = {
        **{
            f"THROTTLE_{scope.upper()}_RATE": rate
            for scope, rate in api_settings.DEFAULT_THROTTLE_RATES.items()
        },
        "THROTTLE_QUERY_BURST_RATE": settings.THROTTLE_QUERY_BURST_RATE,
        "THROTTLE_QUERY_SUSTAINED_RATE": settings.THROTTLE_QUERY_SUSTAINED_RATE,
        "WAREHOUSE_QUERY_RATE": settings.WAREHOUSE_QUERY_RATE,
    }
    for name, rate in rates.items():
        try:
            parse_rate(rate)
        except (ValueError, KeyError, IndexError) as error:
            raise ImproperlyConfigured(
                f'{name}={rate!r} is not a rate: write "<count>/<second|minute|hour|day>", e.g. "480/minute".'
            ) from error
