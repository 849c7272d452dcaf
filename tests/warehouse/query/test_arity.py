"""Every function an engine translates declares how many arguments its translation takes, and a call with one too
few or one too many is the compiler's `wrong number of arguments for f()`, naming the function as written; a call
within the range compiles."""

import pytest

from tests.warehouse.engine.contract.engines import set_up
from tests.warehouse.query.test_function_coverage import NAMES
from warehouse.catalog import build_catalog
from warehouse.engine import get_engine
from warehouse.engine.clickhouse import dialect as clickhouse_dialect
from warehouse.engine.duckdb import arity as duckdb_arity
from warehouse.engine.duckdb.functions import IF_COMBINATORS, PARAMETRIC, TRANSLATIONS
from warehouse.hogql import analyze_view
from warehouse.hogql.errors import HogQLError

SPELLING = {name.lower(): name for name in NAMES}
# A call whose arguments are literals can still need a lambda or an odd count: the argument that makes it valid.
VALID = {"arraymap": "x -> x", "arrayfilter": "x -> x", "multiif": "1"}
ARITIES = {
    "duckdb": duckdb_arity.ARITY,
    "clickhouse": {name: bounds for name, bounds in clickhouse_dialect.ARITY.items()},
}


def test_every_duckdb_translation_declares_its_arity():
    translated = set(TRANSLATIONS) | set(IF_COMBINATORS)
    assert sorted(translated - set(duckdb_arity.ARITY)) == []
    assert sorted(set(duckdb_arity.ARITY) - translated) == []
    assert set(PARAMETRIC) == set(duckdb_arity.PARAMETRIC_ARITY)


def test_every_clickhouse_translation_declares_its_arity():
    translated = set(clickhouse_dialect.RENAMED) | set(clickhouse_dialect.CASTS) | clickhouse_dialect.WINDOWS
    assert translated == set(clickhouse_dialect.ARITY)


def _call(name: str, count: int) -> str:
    first = VALID.get(name)
    args = ([first] if first and count else []) + ["1"] * (count - (1 if first and count else 0))
    return f"select {SPELLING.get(name, name)}({', '.join(args)}) as value"


@pytest.mark.parametrize("engine_name", sorted(ARITIES))
def test_a_call_outside_a_translations_arity_is_refused_by_the_compiler(engine_name, settings, tmp_path):
    set_up(engine_name, settings, tmp_path)
    settings.WAREHOUSE_ENGINE = engine_name
    engine, catalog = get_engine(), build_catalog(1)
    wrong = []
    for name, (low, high) in sorted(ARITIES[engine_name].items()):
        counts = ([low - 1] if low else []) + ([high + 1] if high is not None else [])
        for count in counts:
            try:
                analyze_view(_call(name, count), catalog, engine)
            except HogQLError as err:
                if f"wrong number of arguments for {SPELLING.get(name, name)}()".lower() in str(err).lower():
                    continue
                wrong.append(f"{_call(name, count)}: {err}")
            else:
                wrong.append(f"{_call(name, count)}: compiled")
        try:
            analyze_view(_call(name, low), catalog, engine)
        except HogQLError as err:
            if "wrong number of arguments" in str(err):
                wrong.append(f"{_call(name, low)} is within the arity: {err}")
    assert wrong == [], "\n".join(wrong)


def test_a_parametric_aggregate_outside_its_arity_is_refused_by_the_compiler(settings, tmp_path):
    set_up("duckdb", settings, tmp_path)
    settings.WAREHOUSE_ENGINE = "duckdb"
    engine, catalog = get_engine(), build_catalog(1)
    for sql, message in [
        (
            "select quantiles(0.5)(1, 2)",
            "wrong number of arguments for quantiles(): the DuckDB engine takes 1",
        ),
        (
            "select groupArray(1, 2)(1)",
            "wrong number of parameters for groupArray(): the DuckDB engine takes 1",
        ),
    ]:
        with pytest.raises(HogQLError, match=message.replace("(", r"\(").replace(")", r"\)")):
            analyze_view(sql, catalog, engine)
