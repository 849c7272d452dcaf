"""Settings for the whole server, read from the environment (see the README's configuration table)."""

from pathlib import Path
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
DATA_DIR = Path(env.str("DATA_DIR", default=str(BASE_DIR / "data"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

# Serving (config/wsgi.py, config/asgi.py, runserver) refuses to start without a SECRET_KEY unless DEBUG is on;
# management commands that sign nothing (migrate, bootstrap, createapikey, createsuperuser, run_huey) run without.
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "dev-only-insecure-secret-key-do-not-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Absolute URLs in responses (pagination links, audio downloads) honour a TLS-terminating proxy when asked to.
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "huey.contrib.djhuey",
    "django.contrib.postgres",  # user interviews: full-text search on PostgreSQL (harmless on SQLite)
    "jobs",
    "api",
    "users",
    "interviews_api",
    "warehouse",
]

MIDDLEWARE = [
    "api.middleware.JSONErrorsForAPIMiddleware",
    "api.request_body.RequestBodyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the API server and the job worker read and write the same file at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
    # Tests use a file too (not Django's in-memory default), so concurrent writers wait as they do in production.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-db.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env.bool(
    "DATABASE_POOL", default=False
):
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": env.int("DATABASE_POOL_SIZE", 10),
    }
if "pool" not in DATABASES["default"].get("OPTIONS", {}):
    # Keep each worker's connection between requests (Django's default opens one per request, which cost more
    # than the request itself on PostgreSQL: docs/performance.md). Checked before reuse; 0 restores per-request.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "users.User"

# --- Cache, and the rate-limit counters (shared by every process only when they live in Redis) -----------------
CACHE_URL = env.str("CACHE_URL", default="locmemcache://")
CACHES = {"default": env.cache_url_config(CACHE_URL)}
# A `limits` storage URL: redis://host:6379/N (exact across processes), or memory:// (per process). Defaults to
# CACHE_URL when that is Redis.
THROTTLE_STORAGE_URL = env.str(
    "THROTTLE_STORAGE_URL",
    default=CACHE_URL if CACHE_URL.startswith(("redis://", "rediss://")) else "memory://",
)
THROTTLE_KEY_PREFIX = env.str("THROTTLE_KEY_PREFIX", default="ratelimit")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(DATA_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(DATA_DIR / "media")))

# --- REST framework ------------------------------------------------------------------------------------------
THROTTLE_ENABLED = env.bool("THROTTLE_ENABLED", default=True)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.PersonalAPIKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "api.permissions.ScopePermission",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
    # THROTTLE_ENABLED is read per request, so it can be switched in tests.
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.BurstRateThrottle", "api.throttling.SustainedRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "burst": env.str("THROTTLE_BURST_RATE", default="480/minute"),
        "sustained": env.str("THROTTLE_SUSTAINED_RATE", default="4800/hour"),
    },
    # Requests without a key are counted per client address: the last N X-Forwarded-For hops come from proxies.
    "NUM_PROXIES": env.int("NUM_PROXIES", default=1 if env.bool("BEHIND_TLS_PROXY", default=False) else 0),
    "DEFAULT_SCHEMA_CLASS": "api.schema.ScopedAutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "UNAUTHENTICATED_USER": None,
}

SPECTACULAR_SETTINGS: dict[str, Any] = {
    "TITLE": "PostHog-compatible API",
    "DESCRIPTION": "Self-hosted, wire-compatible subset of PostHog's environment API: user interviews and "
    "warehouse saved queries. Authenticate with `Authorization: Bearer <personal API key>`.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/",
    "ENUM_NAME_OVERRIDES": {
        "ErrorTypeEnum": [
            "validation_error",
            "authentication_error",
            "invalid_request",
            "throttled_error",
            "server_error",
        ],
        "HogQLQueryKindEnum": ["HogQLQuery"],
    },
}

# --- Request bounds (docs/limits.md, "Requests") ---------------------------------------------------------------------
# gunicorn's worker timeout (gunicorn.conf.py sets this from its final value); every in-request limit must fit well
# inside it, or the server refuses to start (api/request_budget.py).
WEB_WORKER_TIMEOUT_SECONDS = env.float("WEB_WORKER_TIMEOUT_SECONDS", default=300.0)
# The longest a client may take to send a request body (an upload); past it, 408 in JSON.
REQUEST_BODY_TIMEOUT_SECONDS = env.float("REQUEST_BODY_TIMEOUT_SECONDS", default=120.0)
# JSON bodies: at most DATA_UPLOAD_MAX_MEMORY_SIZE bytes (Django's setting, 2.5 MB) and this many levels deep.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
REQUEST_JSON_MAX_DEPTH = env.int("REQUEST_JSON_MAX_DEPTH", default=64)
# `?search=` on every list: longer is a 400 (a long text would become thousands of LIKE terms).
SEARCH_MAX_LENGTH = env.int("SEARCH_MAX_LENGTH", default=200)

# Personal API keys: how often last_used_at may be written (PostHog: at most once an hour).
PERSONAL_API_KEY_LAST_USED_INTERVAL_SECONDS = env.int(
    "PERSONAL_API_KEY_LAST_USED_INTERVAL_SECONDS", default=3600
)
PERSONAL_API_KEYS_PER_USER = env.int("PERSONAL_API_KEYS_PER_USER", default=10)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    # Every line passes through the redaction filter: no API key reaches a log (query strings, headers, bodies).
    "filters": {"redact_secrets": {"()": "api.log_redaction.RedactSecretsFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact_secrets"]}
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        # runserver's access log: through the same redacting handler instead of Django's own.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# --- Background jobs (Huey): a SQLite file by default, Redis when several workers/machines share the queue -------
TASK_QUEUE_URL = env.str("TASK_QUEUE_URL", default=f"sqlite:///{DATA_DIR / 'tasks.sqlite3'}")
HUEY = {
    "name": env.str("TASK_QUEUE_NAME", default="posthog-compatible"),
    "immediate": env.bool("TASKS_IMMEDIATE", default=False),
    "results": True,
    "utc": True,
    "consumer": {"workers": env.int("TASK_WORKERS", default=2), "worker_type": "thread", "periodic": True},
}
# Leases (jobs/leases.py): a running job's claim lasts JOBS_LEASE_SECONDS unless its worker renews it (every
# JOBS_LEASE_RENEW_SECONDS); the sweep (dead leases, stalled work, leftovers) runs on worker start and every
# JOBS_SWEEP_INTERVAL_SECONDS. Fairness, across all workers: at most JOBS_MAX_RUNNING_PER_KIND jobs of one kind
# (interview processing, materialization) and JOBS_MAX_RUNNING_PER_PROJECT of one project run at once; a job
# without room waits JOBS_BUSY_RETRY_SECONDS in the queue. The defaults leave one worker thread free.
JOBS_LEASE_SECONDS = env.float("JOBS_LEASE_SECONDS", default=60.0)
JOBS_LEASE_RENEW_SECONDS = env.float("JOBS_LEASE_RENEW_SECONDS", default=15.0)
JOBS_SWEEP_INTERVAL_SECONDS = env.float("JOBS_SWEEP_INTERVAL_SECONDS", default=60.0)
JOBS_MAX_RUNNING_PER_KIND = env.int(
    "JOBS_MAX_RUNNING_PER_KIND", default=max(1, HUEY["consumer"]["workers"] - 1)
)
JOBS_MAX_RUNNING_PER_PROJECT = env.int(
    "JOBS_MAX_RUNNING_PER_PROJECT", default=max(1, HUEY["consumer"]["workers"] - 1)
)
JOBS_BUSY_RETRY_SECONDS = env.float("JOBS_BUSY_RETRY_SECONDS", default=5.0)
# Temporary files (uploads being received, local copies, transcodes) older than this are removed by the sweep;
# those a dead process on this machine left are removed at once.
JOBS_TEMP_FILE_GRACE_SECONDS = env.float("JOBS_TEMP_FILE_GRACE_SECONDS", default=6 * 3600.0)
if TASK_QUEUE_URL.startswith(("redis://", "rediss://")):
    HUEY.update({"huey_class": "huey.PriorityRedisHuey", "url": TASK_QUEUE_URL})
else:
    HUEY.update({"huey_class": "huey.SqliteHuey", "filename": TASK_QUEUE_URL.removeprefix("sqlite:///")})

# --- User interviews: recordings storage, uploads and processing jobs ---------------------------------------
# Recordings live in Django's default storage: files under MEDIA_ROOT (DATA_DIR/media) unless STORAGE_BACKEND=s3,
# which uses django-storages' S3 backend (AWS, MinIO, Ceph, R2...). Credentials may also come from the usual
# AWS_* environment variables / instance roles that boto3 reads itself.
STORAGE_BACKEND = env.str("STORAGE_BACKEND", default="local")
if STORAGE_BACKEND == "s3":
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("AWS_LOCATION", default=""),
            "file_overwrite": False,
            "default_acl": None,
            "querystring_auth": True,
        },
    }
elif STORAGE_BACKEND == "local":
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ImproperlyConfigured("STORAGE_BACKEND must be 'local' or 's3'.")
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploads always spool to disk here (never to memory); on the same filesystem as MEDIA_ROOT, storing is a rename.
FILE_UPLOAD_TEMP_DIR = Path(env.str("FILE_UPLOAD_TEMP_DIR", default=str(DATA_DIR / "tmp")))
FILE_UPLOAD_TEMP_DIR.mkdir(parents=True, exist_ok=True)
INTERVIEW_MAX_UPLOAD_BYTES = env.int("INTERVIEW_MAX_UPLOAD_BYTES", default=500 * 1024 * 1024)
# How long a create (or transcribe/) request waits for processing before answering "processing".
INTERVIEW_SYNC_WAIT_SECONDS = env.float("INTERVIEW_SYNC_WAIT_SECONDS", default=30.0)
# Retries of a failed provider call (only errors the provider marks retryable), with exponential backoff.
INTERVIEW_PROCESSING_RETRIES = env.int("INTERVIEW_PROCESSING_RETRIES", default=3)
INTERVIEW_RETRY_DELAY_SECONDS = env.float("INTERVIEW_RETRY_DELAY_SECONDS", default=5.0)
INTERVIEW_RETRY_BACKOFF = env.float("INTERVIEW_RETRY_BACKOFF", default=2.0)
INTERVIEW_RETRY_MAX_DELAY_SECONDS = env.float("INTERVIEW_RETRY_MAX_DELAY_SECONDS", default=300.0)
# The sweep re-enqueues interviews left pending longer than this (their task was lost before a worker took it).
INTERVIEW_STALLED_AFTER_SECONDS = env.int("INTERVIEW_STALLED_AFTER_SECONDS", default=3 * 3600)
# One processing attempt may take this long; a worker that dies mid-job costs one of INTERVIEW_MAX_ATTEMPTS.
INTERVIEW_PROCESSING_TIME_LIMIT_SECONDS = env.float("INTERVIEW_PROCESSING_TIME_LIMIT_SECONDS", default=3600.0)
INTERVIEW_MAX_ATTEMPTS = env.int("INTERVIEW_MAX_ATTEMPTS", default=3)
# Work a recording may cause: its audio (measured while decoding, not trusted from the header) may last at most
# INTERVIEW_MAX_DURATION_SECONDS, and decode to at most INTERVIEW_MAX_DECODE_RATIO times the file's size.
INTERVIEW_MAX_DURATION_SECONDS = env.float("INTERVIEW_MAX_DURATION_SECONDS", default=4 * 3600.0)
INTERVIEW_MAX_DECODE_RATIO = env.float("INTERVIEW_MAX_DECODE_RATIO", default=100.0)
# Stored recordings no interview points at (a crash between storing and saving) are removed after this.
INTERVIEW_ORPHAN_GRACE_SECONDS = env.float("INTERVIEW_ORPHAN_GRACE_SECONDS", default=3600.0)
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["UserInterviewStatusEnum"] = (
    "interviews_api.models.InterviewStatus"
)
# --- end of user interviews block ---------------------------------------------------------------------------------

# --- Warehouse engine (HogQL saved queries; warehouse/hogql/, warehouse/engine/) -------------------------------
# One DuckDB file per project in WAREHOUSE_DIR (project_<id>.duckdb). External access is always off; these bound
# each query. DuckDB allows one writing process or many reading processes per file: operations wait up to
# WAREHOUSE_LOCK_TIMEOUT_SECONDS for the other side's lock.
WAREHOUSE_ENGINE = env.str("WAREHOUSE_ENGINE", default="duckdb")
WAREHOUSE_DIR = Path(env.str("WAREHOUSE_DIR", default=str(DATA_DIR / "warehouse")))
# WAREHOUSE_ENGINE=clickhouse (docs/warehouse-clickhouse.md; needs the `clickhouse` extra): a server at CLICKHOUSE_URL
# (http[s]://user:password@host:port[/?cluster=name]), else embedded ClickHouse in CLICKHOUSE_PATH (one process).
# Each project is the database <CLICKHOUSE_DATABASE_PREFIX>project_<id>.
CLICKHOUSE_URL = env.str("CLICKHOUSE_URL", default="")
CLICKHOUSE_PATH = Path(env.str("CLICKHOUSE_PATH", default=str(WAREHOUSE_DIR / "clickhouse")))
CLICKHOUSE_DATABASE_PREFIX = env.str("CLICKHOUSE_DATABASE_PREFIX", default="")
# A server's cluster (the URL's `cluster` option wins): DDL ON CLUSTER, tables ReplicatedMergeTree on every host.
CLICKHOUSE_CLUSTER = env.str("CLICKHOUSE_CLUSTER", default="")
# On a server, each project's queries run as a ClickHouse user granted only SELECT on its database (password derived
# from SECRET_KEY), when the configured user may create users (tried once per process); `off` never tries.
CLICKHOUSE_PROJECT_USERS = env.str("CLICKHOUSE_PROJECT_USERS", default="auto")
WAREHOUSE_QUERY_TIMEOUT_SECONDS = env.float("WAREHOUSE_QUERY_TIMEOUT_SECONDS", default=30.0)
WAREHOUSE_MEMORY_LIMIT = env.str("WAREHOUSE_MEMORY_LIMIT", default="1GB")
WAREHOUSE_THREADS = env.int("WAREHOUSE_THREADS", default=2)
WAREHOUSE_MAX_ROWS = env.int("WAREHOUSE_MAX_ROWS", default=50_000)
# Bytes of values one /query/ page may carry (text by length, 8 per other value); past it, fetching stops (400).
WAREHOUSE_MAX_RESULT_BYTES = env.int("WAREHOUSE_MAX_RESULT_BYTES", default=64 * 1024 * 1024)
WAREHOUSE_LOCK_TIMEOUT_SECONDS = env.float("WAREHOUSE_LOCK_TIMEOUT_SECONDS", default=10.0)
# Background work (materialization swaps, background loads) waits this long for the project's file instead.
WAREHOUSE_JOB_LOCK_TIMEOUT_SECONDS = env.float("WAREHOUSE_JOB_LOCK_TIMEOUT_SECONDS", default=900.0)
# DuckDB read connections are kept per project file and process (warehouse/engine/duckdb/pool.py) and closed after
# this many idle seconds (0: a connection per query), or at once when a writer in any process wants the file.
WAREHOUSE_READ_POOL_IDLE_SECONDS = env.float("WAREHOUSE_READ_POOL_IDLE_SECONDS", default=5.0)
WAREHOUSE_READ_POOL_CHECK_SECONDS = env.float("WAREHOUSE_READ_POOL_CHECK_SECONDS", default=0.05)
# A request that found the project's file busy gets 503 with this Retry-After (seconds).
WAREHOUSE_BUSY_RETRY_AFTER_SECONDS = env.int("WAREHOUSE_BUSY_RETRY_AFTER_SECONDS", default=5)
# --- end of warehouse engine block ---------------------------------------------------------------------------------

# --- HogQL analysis bounds (docs/limits.md "Warehouse: HogQL analysis") -----------------------------
# A query is parsed, checked and resolved in the request before the engine runs it (for /query/ and saved-query
# writes alike): its text, syntax-tree size, nesting depth and the time that analysis may take are bounded.
WAREHOUSE_HOGQL_MAX_QUERY_CHARS = env.int("WAREHOUSE_HOGQL_MAX_QUERY_CHARS", default=100_000)
WAREHOUSE_HOGQL_MAX_NODES = env.int("WAREHOUSE_HOGQL_MAX_NODES", default=10_000)
WAREHOUSE_HOGQL_MAX_DEPTH = env.int("WAREHOUSE_HOGQL_MAX_DEPTH", default=32)
WAREHOUSE_HOGQL_ANALYSIS_TIMEOUT_SECONDS = env.float("WAREHOUSE_HOGQL_ANALYSIS_TIMEOUT_SECONDS", default=5.0)
WAREHOUSE_HOGQL_MAX_VALUE_SIZE = env.int("WAREHOUSE_HOGQL_MAX_VALUE_SIZE", default=1024 * 1024)
# --- end of HogQL analysis bounds ----------------------------------------------------------------------------------

# --- Warehouse materialization, /query/ and loading (docs/warehouse-engine.md) ------
# A materialization run may take WAREHOUSE_MATERIALIZE_TIMEOUT_SECONDS; a cancel is seen within
# WAREHOUSE_CANCEL_POLL_SECONDS; a run without a heartbeat for timeout + grace is marked Failed (its worker died).
WAREHOUSE_MATERIALIZE_TIMEOUT_SECONDS = env.float("WAREHOUSE_MATERIALIZE_TIMEOUT_SECONDS", default=3600.0)
WAREHOUSE_CANCEL_POLL_SECONDS = env.float("WAREHOUSE_CANCEL_POLL_SECONDS", default=0.5)
WAREHOUSE_RUN_STALE_GRACE_SECONDS = env.float("WAREHOUSE_RUN_STALE_GRACE_SECONDS", default=600.0)
# POST /query/: rows when the SQL has no LIMIT (the cap is WAREHOUSE_MAX_ROWS), and PostHog's HogQL rate per key.
WAREHOUSE_QUERY_DEFAULT_LIMIT = env.int("WAREHOUSE_QUERY_DEFAULT_LIMIT", default=100)
WAREHOUSE_QUERY_RATE = env.str("WAREHOUSE_QUERY_RATE", default="120/hour")
# /query/ keeps analysed queries per process (warehouse/analysis_cache.py): at most this many, and this many estimated
# bytes (text, plus 1 KiB per syntax-tree node); least recently used out first; 0 entries keeps none.
WAREHOUSE_QUERY_CACHE_ENTRIES = env.int("WAREHOUSE_QUERY_CACHE_ENTRIES", default=512)
WAREHOUSE_QUERY_CACHE_BYTES = env.int("WAREHOUSE_QUERY_CACHE_BYTES", default=32 * 1024 * 1024)
# Saved-query create/update/delete (each analyses HogQL): PostHog's rates for its query-engine endpoints, per key.
THROTTLE_QUERY_BURST_RATE = env.str("THROTTLE_QUERY_BURST_RATE", default="240/minute")
THROTTLE_QUERY_SUSTAINED_RATE = env.str("THROTTLE_QUERY_SUSTAINED_RATE", default="1200/hour")
# Loading warehouse tables: size limits; S3-compatible sources (endpoint for s3:// URLs; private hosts refused
# unless allowed, so a URL cannot reach services inside the network).
WAREHOUSE_LOAD_MAX_BYTES = env.int("WAREHOUSE_LOAD_MAX_BYTES", default=1024**3)
WAREHOUSE_LOAD_MAX_FILES = env.int("WAREHOUSE_LOAD_MAX_FILES", default=1000)
# A load brings in at most WAREHOUSE_LOAD_MAX_BYTES (counted after decompression) and WAREHOUSE_LOAD_MAX_ROWS rows.
# Plain uploads up to WAREHOUSE_LOAD_INLINE_MAX_BYTES load within the request; the rest (and S3) in a job. A load
# whose heartbeat is older than WAREHOUSE_LOAD_LEASE_SECONDS is dead: its row is reclaimed and its name freed.
WAREHOUSE_LOAD_MAX_ROWS = env.int("WAREHOUSE_LOAD_MAX_ROWS", default=50_000_000)
WAREHOUSE_LOAD_INLINE_MAX_BYTES = env.int("WAREHOUSE_LOAD_INLINE_MAX_BYTES", default=10 * 1024 * 1024)
WAREHOUSE_LOAD_LEASE_SECONDS = env.float("WAREHOUSE_LOAD_LEASE_SECONDS", default=60.0)
WAREHOUSE_LOAD_TIMEOUT_SECONDS = env.float("WAREHOUSE_LOAD_TIMEOUT_SECONDS", default=3600.0)
WAREHOUSE_S3_ENDPOINT_URL = env.str("WAREHOUSE_S3_ENDPOINT_URL", default="") or None
WAREHOUSE_S3_ALLOW_PRIVATE_HOSTS = env.bool("WAREHOUSE_S3_ALLOW_PRIVATE_HOSTS", default=False)
# --- end of warehouse materialization block ------------------------------------------------------------------------

# --- Interview processing providers (docs/interviews-processing.md) ------------------
# Transcription: local (offline pocketsphinx) | openai (any OpenAI-compatible /audio/transcriptions) | elevenlabs.
# Summary: extractive (offline) | openai (any OpenAI-compatible /chat/completions). Either may be a dotted class path.
INTERVIEW_TRANSCRIPTION_PROVIDER = env.str("INTERVIEW_TRANSCRIPTION_PROVIDER", default="local")
INTERVIEW_SUMMARY_PROVIDER = env.str("INTERVIEW_SUMMARY_PROVIDER", default="extractive")
INTERVIEW_SUMMARY_MAX_SENTENCES = env.int("INTERVIEW_SUMMARY_MAX_SENTENCES", default=8)
INTERVIEW_LOCAL_POCKETSPHINX_OPTIONS = env.json("INTERVIEW_LOCAL_POCKETSPHINX_OPTIONS", default={})
# Local speech models loaded per worker process (~115 MB each), shared by its threads; more allow parallel decoding.
INTERVIEW_LOCAL_DECODERS = env.int("INTERVIEW_LOCAL_DECODERS", default=1)
# Diarized speakers: "deterministic" (most words -> first email, ...) or "openai" (ask the summary chat model).
INTERVIEW_SPEAKER_NAMING = env.str("INTERVIEW_SPEAKER_NAMING", default="deterministic")
# One OpenAI-compatible server for both purposes; each purpose may override the URL, key and timeout (empty = use
# the shared value; timeouts default to 600 s for transcription, 120 s for summaries). OPENAI_API_KEY is the key's
# fallback, as in OpenAI's SDKs.
INTERVIEW_OPENAI_BASE_URL = env.str("INTERVIEW_OPENAI_BASE_URL", default="https://api.openai.com/v1")
INTERVIEW_OPENAI_API_KEY = env.str("INTERVIEW_OPENAI_API_KEY", default=env.str("OPENAI_API_KEY", default=""))
INTERVIEW_OPENAI_TIMEOUT = env.float("INTERVIEW_OPENAI_TIMEOUT", default=None)
INTERVIEW_OPENAI_TRANSCRIPTION_MODEL = env.str("INTERVIEW_OPENAI_TRANSCRIPTION_MODEL", default="whisper-1")
INTERVIEW_OPENAI_TRANSCRIPTION_BASE_URL = env.str("INTERVIEW_OPENAI_TRANSCRIPTION_BASE_URL", default="")
INTERVIEW_OPENAI_TRANSCRIPTION_API_KEY = env.str("INTERVIEW_OPENAI_TRANSCRIPTION_API_KEY", default="")
INTERVIEW_OPENAI_TRANSCRIPTION_TIMEOUT = env.float("INTERVIEW_OPENAI_TRANSCRIPTION_TIMEOUT", default=None)
INTERVIEW_OPENAI_SUMMARY_MODEL = env.str("INTERVIEW_OPENAI_SUMMARY_MODEL", default="gpt-4.1-mini")
INTERVIEW_OPENAI_SUMMARY_BASE_URL = env.str("INTERVIEW_OPENAI_SUMMARY_BASE_URL", default="")
INTERVIEW_OPENAI_SUMMARY_API_KEY = env.str("INTERVIEW_OPENAI_SUMMARY_API_KEY", default="")
INTERVIEW_OPENAI_SUMMARY_TIMEOUT = env.float("INTERVIEW_OPENAI_SUMMARY_TIMEOUT", default=None)
# OpenAI refuses audio over 25 MB: bigger recordings are re-encoded to 16 kHz Ogg/Opus first (0 = never).
INTERVIEW_OPENAI_TRANSCRIPTION_MAX_UPLOAD_BYTES = env.int(
    "INTERVIEW_OPENAI_TRANSCRIPTION_MAX_UPLOAD_BYTES", default=25 * 1024 * 1024
)
INTERVIEW_ELEVENLABS_BASE_URL = env.str("INTERVIEW_ELEVENLABS_BASE_URL", default="https://api.elevenlabs.io")
INTERVIEW_ELEVENLABS_API_KEY = env.str(
    "INTERVIEW_ELEVENLABS_API_KEY", default=env.str("ELEVENLABS_API_KEY", default="")
)
INTERVIEW_ELEVENLABS_MODEL = env.str("INTERVIEW_ELEVENLABS_MODEL", default="scribe_v1")
INTERVIEW_ELEVENLABS_TIMEOUT = env.float("INTERVIEW_ELEVENLABS_TIMEOUT", default=600.0)
# --- end of interview processing block -----------------------------------------------------------------------------

# --- Benchmarks ----------------------------------------------------------------------------------------------
# Adds GET /_bench/fixed (a fixed JSON body through the same middleware and server: the load test's ceiling).
# Off by default; benchmarks/load/run.py turns it on for its own server only.
BENCHMARK_ENDPOINTS = env.bool("BENCHMARK_ENDPOINTS", default=False)
