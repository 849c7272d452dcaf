"""Every function in PostHog's HogQL function list, on each registered engine, either runs or is refused with a 400
whose message names the function and the engine (issue 16).

The names are in posthog_function_names.txt (names only, from PostHog's mapping.py). Each name is called with zero
to four literal arguments (and as a parametric aggregate), so arity does not decide the outcome:
- refused: the compiler's message for some call names the function and the engine, or the compiler refuses the
  call for its arguments' types (`like(1, 2)`: LIKE needs strings, but 1 is an Integer);
- runs: some call compiles, and the engine knows what it was compiled to (the literal arguments may still be of
  the wrong type for it: that is the engine's ordinary 400, not a missing function);
- gap: anything else, including a call that crashes the compiler (a 500 through /query/).
"""

import re
from pathlib import Path

import pytest

from tests.warehouse.engine.contract.engines import set_up
from warehouse.catalog import build_catalog
from warehouse.engine import ENGINES, get_engine
from warehouse.hogql import analyze_view
from warehouse.hogql.errors import HogQLError
from warehouse.hogql.type_checks import HogQLTypeError

NAMES = [
    line.strip()
    for line in (Path(__file__).parent / "posthog_function_names.txt").read_text().splitlines()
    if line.strip() and not line.startswith("#")
]
# the last two: a parametric aggregate, and its -If form (quantileIf(0.5)(x, cond))
CALLS = ["()", "(1)", "(1, 2)", "(1, 2, 3)", "(1, 2, 3, 4)", "(0.5)(1)", "(0.5)(1, 2)"]
# What each engine says when it lacks a function (DuckDB's Catalog Error, ClickHouse's UNKNOWN_FUNCTION).
UNKNOWN_FUNCTION = re.compile(r"does not exist|unknown (aggregate )?function", re.IGNORECASE)
# Names that are neither, on every engine, and why; the test fails when one is fixed, so the list stays true.
KNOWN_GAPS: dict[str, str] = {}


def classify(name: str, catalog, engine) -> tuple[str, str]:
    """("runs" | "refused" | "gap", detail)."""
    detail = "no call compiled"
    for call in CALLS:
        try:
            tree = analyze_view(f"select {name}{call} as value", catalog, engine).tree
        except HogQLTypeError as err:
            return "refused", str(err)  # a precise 400 for the arguments' types (type_checks.py)
        except HogQLError as err:
            wrong_count = "wrong number of" in str(err)  # another call may have the right count
            if f"{name.lower()}(" in str(err).lower() and engine.label in str(err) and not wrong_count:
                return "refused", str(err)
            detail = str(err)
            continue
        except Exception as err:  # noqa: BLE001 - a crash is what this test looks for
            return "gap", f"{name}{call} crashes the compiler: {type(err).__name__}: {err}"
        try:
            engine.run_query(catalog, tree, limit=1)
        except Exception as err:  # noqa: BLE001 - the engine's refusal of literal arguments is fine
            if UNKNOWN_FUNCTION.search(str(err)):
                detail = f"{name}{call}: the engine lacks it: {err}"
                continue
        return "runs", ""
    return "gap", detail


@pytest.fixture(params=sorted(ENGINES))
def engine(request, settings, tmp_path):
    settings.WAREHOUSE_ENGINE = request.param
    set_up(request.param, settings, tmp_path)
    return get_engine()


def test_the_names_are_posthogs():
    assert len(NAMES) == len(set(NAMES)) == 600
    assert {"plus", "arrayMap", "JSONExtractString", "quantiles", "lagInFrame", "sparkline"} <= set(NAMES)


def test_every_posthog_function_runs_or_is_refused_naming_function_and_engine(engine):
    catalog = build_catalog(1)
    outcomes = {name: classify(name, catalog, engine) for name in NAMES}
    gaps = {name: detail for name, (kind, detail) in outcomes.items() if kind == "gap"}
    unexpected = {name: detail for name, detail in gaps.items() if name not in KNOWN_GAPS}
    assert not unexpected, (
        f"{engine.label}: {len(unexpected)} of {len(NAMES)} functions neither run nor are refused "
        + ("precisely:\n" + "\n".join(f"{name}: {detail}" for name, detail in sorted(unexpected.items())))
    )
    assert set(gaps) == set(KNOWN_GAPS), (
        f"fixed, remove from KNOWN_GAPS: {sorted(set(KNOWN_GAPS) - set(gaps))}"
    )
