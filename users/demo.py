"""The one demo key `bootstrap` (and so `bin/serve`) prints: reused across runs, never piling up.

The plain value is kept in `$DATA_DIR/demo_api_key`, readable by its owner only (like the SQLite file beside it).
While that key still exists in the database it is reused; otherwise a new one replaces every earlier demo key.
"""

import os
from pathlib import Path

from django.conf import settings
from django.db import transaction

from users.keys import hash_key_value
from users.models import PersonalAPIKey, User
from users.services import personal_api_key_create

DEMO_KEY_LABEL = "bootstrap"
REUSED, NEW = "reused", "new"


def demo_key_path() -> Path:
    return Path(settings.DATA_DIR) / "demo_api_key"


def _stored_value(path: Path) -> str:
    try:
        return path.read_text().strip()
    except OSError:
        return ""


def _store_value(path: Path, value: str) -> None:
    """Writes the key with owner-only permissions from the start (no window where others could read it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(value + "\n")
    os.chmod(path, 0o600)  # an older file may have had wider permissions


@transaction.atomic
def demo_api_key(*, user: User) -> tuple[str, str]:
    """(plain value, REUSED or NEW): the stored demo key if it still works, else a new all-scopes key that
    revokes (deletes) the user's earlier demo keys."""
    path = demo_key_path()
    stored = _stored_value(path)
    demo_keys = PersonalAPIKey.objects.filter(user=user, label=DEMO_KEY_LABEL)
    if stored and demo_keys.filter(secure_value=hash_key_value(stored)).exists():
        return stored, REUSED
    demo_keys.delete()
    _, value = personal_api_key_create(user=user, label=DEMO_KEY_LABEL, scopes=["*"], enforce_limit=False)
    _store_value(path, value)
    return value, NEW
