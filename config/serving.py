"""What serving requires that management commands do not: a real SECRET_KEY (sessions, CSRF and the admin sign
with it). Called by the WSGI and ASGI entry points, so gunicorn, uvicorn and runserver refuse to start without it."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MISSING_SECRET_KEY = (
    "Set SECRET_KEY to serve (a long random value, e.g. from "
    "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`), or DEBUG=true for a development-only default."
)


def require_secret_key() -> None:
    try:
        configured = settings.SECRET_KEY
    except ImproperlyConfigured:  # Django refuses to read an empty SECRET_KEY
        configured = ""
    if not configured:
        raise ImproperlyConfigured(MISSING_SECRET_KEY)
