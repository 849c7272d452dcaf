"""Test-run defaults, loaded as a pytest plugin (-p) so they exist before Django reads its settings."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="phc-test-data-"))
os.environ.setdefault("TASKS_IMMEDIATE", "true")
