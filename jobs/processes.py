"""Naming a process so that another process on the same machine can tell whether it is still alive.

A tag is `<machine>.<pid>.<start>`: `machine` is a hash of the host name and the PID namespace (so containers
sharing a host name do not mistake each other's PIDs), `start` the process's start time from /proc (so a reused
PID is not taken for the process that died). Leases record their owner's tag; temporary files carry it in their
names, so the sweep can remove what a dead process left at once instead of waiting for a grace period.
"""

import functools
import hashlib
import os
import re
import socket
from pathlib import Path

TAG_PATTERN = re.compile(r"(?P<machine>[0-9a-f]{8})\.(?P<pid>\d+)\.(?P<start>\d+)")


@functools.cache
def _machine() -> str:
    try:
        namespace = os.readlink("/proc/self/ns/pid")
    except OSError:
        namespace = ""
    return hashlib.sha256(f"{socket.gethostname()}|{namespace}".encode()).hexdigest()[:8]


def _start_time(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat); None if it exited."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) may contain spaces and parentheses; the fields after its closing ")" do not.
    fields = stat.rsplit(")", 1)[1].split()
    return None if fields[0] in ("Z", "X") else fields[19]  # a zombie has exited too


def tag_of(pid: int) -> str:
    """The tag of a running process on this machine."""
    return f"{_machine()}.{pid}.{_start_time(pid) or 0}"


_own_tag: dict[int, str] = {}


def current_tag() -> str:
    """This process's tag (a forked child gets its own)."""
    pid = os.getpid()
    if pid not in _own_tag:
        _own_tag[pid] = tag_of(pid)
    return _own_tag[pid]


def is_dead(tag: str) -> bool:
    """True only when `tag` names a process on this machine that has exited; False when alive or unknowable."""
    match = TAG_PATTERN.search(tag)
    if match is None or match["machine"] != _machine() or match["start"] == "0":
        return False  # another machine (or no /proc): only its lease's expiry can tell
    return _start_time(int(match["pid"])) != match["start"]


def temp_prefix(label: str) -> str:
    """A prefix for temporary files this process creates, so the sweep knows when their creator has died."""
    return f"{label}-{current_tag()}-"
