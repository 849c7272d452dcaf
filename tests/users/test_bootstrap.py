"""`bootstrap` keeps one demo key; the README's commands run without SECRET_KEY; serving refuses to."""

import json
import os
import stat
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from users.demo import DEMO_KEY_LABEL
from users.models import PersonalAPIKey

ROOT = Path(__file__).resolve().parents[2]


def bootstrap(*args: str) -> str:
    out = StringIO()
    call_command("bootstrap", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.mark.django_db
def test_the_demo_key_is_reused_and_kept_owner_only(data_dir):
    first = bootstrap()
    key = json.loads(bootstrap("--json"))["api_key"]
    assert f"API key:     {key}" in first and "a new demo key" in first
    assert "the demo key, reused" in bootstrap()
    stored = data_dir / "demo_api_key"
    assert stored.read_text().strip() == key
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert PersonalAPIKey.objects.filter(label=DEMO_KEY_LABEL).count() == 1


@pytest.mark.django_db
def test_a_lost_demo_key_is_replaced_and_the_old_one_revoked(data_dir, client):
    old = json.loads(bootstrap("--json"))["api_key"]
    (data_dir / "demo_api_key").unlink()
    output = bootstrap()
    new = (data_dir / "demo_api_key").read_text().strip()
    assert new != old and "earlier demo keys are revoked" in output
    assert client.get("/api/projects/", HTTP_AUTHORIZATION=f"Bearer {old}").status_code == 401
    assert client.get("/api/projects/", HTTP_AUTHORIZATION=f"Bearer {new}").status_code == 200
    assert PersonalAPIKey.objects.filter(label=DEMO_KEY_LABEL).count() == 1


def run(args: list[str], data_dir: Path, **extra_env: str) -> subprocess.CompletedProcess:
    """A command as the README writes it: no SECRET_KEY, no DEBUG (a fresh clone's environment)."""
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "DATABASE_URL")}
    env.update(DATA_DIR=str(data_dir), **extra_env)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_readme_commands_run_without_secret_key_and_serving_refuses(tmp_path):
    for args in (
        ["manage.py", "migrate", "--noinput", "-v", "0"],
        ["manage.py", "bootstrap", "--json"],
        ["manage.py", "createapikey", "demo@example.com", "--scopes", "query:read", "--project", "1"],
    ):
        result = run(args, tmp_path)
        assert result.returncode == 0, (args, result.stderr[-2000:])
        assert "Traceback" not in result.stderr, result.stderr
    assert json.loads(run(["manage.py", "bootstrap", "--json"], tmp_path).stdout)["project_id"] == 1
    superuser = run(
        ["manage.py", "createsuperuser", "--noinput", "--email", "admin@example.com"],
        tmp_path,
        DJANGO_SUPERUSER_PASSWORD="a-long-test-password",
    )
    assert superuser.returncode == 0 and "Superuser created" in superuser.stdout, superuser.stderr[-2000:]
    for entry_point in ("config.wsgi", "config.asgi"):
        serving = run(["-c", f"import {entry_point}"], tmp_path)
        assert serving.returncode != 0 and "Set SECRET_KEY to serve" in serving.stderr, serving.stderr[-500:]
