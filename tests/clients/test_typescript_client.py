"""A TypeScript client typed from our live schema (openapi-typescript + openapi-fetch) compiles with
`tsc --strict` and works against a live server.

The tools are pinned in tests/clients/typescript/package.json and package-lock.json and installed with `npm ci`
(again only when the lockfile changes). Without node 20+ and npm the test is skipped, except in CI (CI=true),
where it fails (tests/clients/posthog_toolkit_runner.py decides).
"""

import fcntl
import hashlib
import json
import subprocess

import pytest

from tests.clients.conftest import TYPESCRIPT_DIR
from tests.clients.posthog_toolkit_runner import node_binaries

pytestmark = pytest.mark.django_db(transaction=True)
STAMP = TYPESCRIPT_DIR / "node_modules" / ".installed-from-lockfile"


def run(*command, timeout: int = 300) -> str:
    result = subprocess.run(command, cwd=TYPESCRIPT_DIR, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{' '.join(map(str, command))}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def node_tools():
    node, npm = node_binaries()
    wanted = hashlib.sha256((TYPESCRIPT_DIR / "package-lock.json").read_bytes()).hexdigest()
    with open(TYPESCRIPT_DIR / ".install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (STAMP.exists() and STAMP.read_text().strip() == wanted):
            run(npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", timeout=600)
            STAMP.write_text(wanted)
    return node, TYPESCRIPT_DIR / "node_modules" / ".bin"


def test_typescript_client_compiles_strict_and_works(node_tools, schema_file, server):
    node, bin_dir = node_tools
    base_url, project_id, key = server
    (TYPESCRIPT_DIR / "generated").mkdir(exist_ok=True)
    run(node, bin_dir / "openapi-typescript", schema_file, "-o", "generated/schema.d.ts")
    run(node, bin_dir / "tsc", "--strict", "-p", "tsconfig.json")
    output = run(node, "build/client.js", base_url, str(project_id), key, timeout=120)
    assert json.loads(output.strip().splitlines()[-1]) == {"operations": 13}
