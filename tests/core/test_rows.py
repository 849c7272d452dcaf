"""RowShape: flat `values_list` tuples become named rows, a nested row None when its key is null."""

import pytest

from core.rows import RowShape

USER = RowShape("User", ["id", "email"])
VIEW = RowShape(
    "View",
    ["id", "name"],
    nested={"created_by": USER},
    properties={"label": property(lambda row: row.name.upper())},
)


def test_columns_name_the_nested_fields_through_the_key():
    assert VIEW.columns == ["id", "name", "created_by__id", "created_by__email"]


def test_rows_read_like_instances():
    with_creator, without = VIEW.rows([(7, "signups", 3, "ada@example.com"), (8, "churn", None, None)])
    assert (with_creator.pk, with_creator.name, with_creator.label) == (7, "signups", "SIGNUPS")
    assert (with_creator.created_by.pk, with_creator.created_by.email) == (3, "ada@example.com")
    assert without.created_by is None and without.pk == 8


def test_rows_nest_one_level_only():
    with pytest.raises(ValueError, match="one level"):
        RowShape("Deep", ["id"], nested={"view": VIEW})
