"""Engine messages are scrubbed where EngineError is made: no server paths, engine SQL or scratch names."""

import pytest

from warehouse.engine import EngineError

CASES = [
    (
        'Resource In Use Error: Unique file handle conflict: Cannot attach "project_1" - the database file '
        '"/srv/data/warehouse/project_1.duckdb" is already attached',
        'Resource In Use Error: Unique file handle conflict: Cannot attach "project_1" - the database file '
        '"<file>" is already attached',
    ),
    (
        "IO Error: No files found that match the pattern /srv/data/tmp/warehouse-load-x1/data.csv",
        "IO Error: No files found that match the pattern <file>",
    ),
    (
        "Catalog Error: Table with name __load_0123456789abcdef0123 does not exist!\nDid you mean ...",
        "Catalog Error: Table with name <scratch> does not exist!",
    ),
    (
        "Conversion Error: Could not convert string 'a/b' to INT32",
        "Conversion Error: Could not convert string 'a/b' to INT32",
    ),
    ("", "The warehouse engine failed"),
]


@pytest.mark.parametrize(("raw", "shown"), CASES)
def test_engine_messages_are_scrubbed(raw, shown):
    assert str(EngineError(raw)) == shown


def test_long_messages_are_cut():
    assert len(str(EngineError("Out of Memory Error: " + "x" * 5000))) == 500
