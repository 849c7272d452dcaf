"""gunicorn baseline.wsgi (with benchmarks/load on the Python path)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "baseline.settings"
application = get_wsgi_application()
