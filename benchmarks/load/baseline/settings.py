"""Settings of the minimal Django + DRF baseline app (docs/performance.md, "Against a minimal DRF app")."""

import environ

env = environ.Env()
SECRET_KEY = env.str("SECRET_KEY", default="baseline-benchmark-only")
DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "baseline.views"
INSTALLED_APPS = ["django.contrib.contenttypes", "rest_framework", "baseline"]
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
# The same database and connection reuse as the real server (config/settings.py).
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = 60
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["baseline.authentication.KeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_THROTTLE_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
}
