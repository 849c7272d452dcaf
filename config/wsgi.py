"""WSGI entry point for production servers (gunicorn config.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from config.serving import require_secret_key  # noqa: E402 (needs the settings loaded above)

require_secret_key()
