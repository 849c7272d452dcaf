"""The embedded ClickHouse directory of this test process.

chdb runs one embedded ClickHouse per process, on one directory, and a directory serves one process: every test
in a process (transport tests, the HTTP stand-in, engine tests) shares this one, each in its own databases.
"""

import atexit
import shutil
import tempfile
from functools import cache


@cache
def embedded_path() -> str:
    path = tempfile.mkdtemp(prefix="phc-chdb-")
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path
