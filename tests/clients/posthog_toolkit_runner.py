"""Installs PostHog's @posthog/agent-toolkit (pinned in posthog_toolkit/package-lock.json) and runs our driver.

The packages are installed with `npm ci` into posthog_toolkit/node_modules (git-ignored) the first time, and again
only when the lockfile changes. Without node 20+ and npm the toolkit tests skip, saying why; under CI (`CI=true`)
they fail instead, so a CI run never passes without having run them.
"""

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

TOOLKIT_DIR = Path(__file__).resolve().parent / "posthog_toolkit"
LOCKFILE = TOOLKIT_DIR / "package-lock.json"
NODE_MODULES = TOOLKIT_DIR / "node_modules"
STAMP = NODE_MODULES / ".installed-from-lockfile"
MIN_NODE_MAJOR = 20
INSTALL_TIMEOUT_SECONDS = 600
DRIVE_TIMEOUT_SECONDS = 180


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def unavailable(reason: str):
    """Skip outside CI; in CI a missing toolchain is a failure, not a silent pass."""
    if in_ci():
        pytest.fail(f"CI=true and the PostHog toolkit test cannot run: {reason}")
    pytest.skip(f"PostHog toolkit test skipped: {reason}")


def node_binaries() -> tuple[str, str]:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        unavailable(f"needs Node.js {MIN_NODE_MAJOR}+ and npm on PATH (node: {node}, npm: {npm})")
    version = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    major = version.lstrip("v").split(".")[0]
    if not major.isdigit() or int(major) < MIN_NODE_MAJOR:
        unavailable(f"needs Node.js {MIN_NODE_MAJOR}+, found {version or 'an unknown version'}")
    return node, npm


def ensure_installed(npm: str) -> None:
    """`npm ci` from the lockfile unless node_modules already holds exactly it; one installer at a time."""
    wanted = hashlib.sha256(LOCKFILE.read_bytes()).hexdigest()
    with open(TOOLKIT_DIR / ".install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if STAMP.exists() and STAMP.read_text().strip() == wanted:
            return
        done = subprocess.run(
            [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
            cwd=TOOLKIT_DIR,
            capture_output=True,
            text=True,
            timeout=INSTALL_TIMEOUT_SECONDS,
        )
        if done.returncode != 0:
            unavailable(f"`npm ci` in {TOOLKIT_DIR} failed:\n{done.stderr[-2000:]}")
        STAMP.write_text(wanted)


def drive_toolkit(*, base_url: str, key: str, hogql: str, switch_to: int | None = None) -> dict:
    """Runs posthog_toolkit/drive.mjs against `base_url`; returns each operation's outcome."""
    node, npm = node_binaries()
    ensure_installed(npm)
    env = {
        **os.environ,
        "POSTHOG_API_BASE_URL": base_url,
        "POSTHOG_PERSONAL_API_KEY": key,
        "HOGQL_QUERY": hogql,
        "SWITCH_PROJECT_ID": "" if switch_to is None else str(switch_to),
    }
    done = subprocess.run(
        [node, "drive.mjs"],
        cwd=TOOLKIT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=DRIVE_TIMEOUT_SECONDS,
    )
    assert done.returncode == 0, f"drive.mjs exited {done.returncode}:\n{done.stderr[-3000:]}"
    return json.loads(done.stdout)
