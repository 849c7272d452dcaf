"""Differential test: the same HogQL on the DuckDB engine and on embedded ClickHouse (chdb), over the same rows,
gives the same answer: the same rows, or the same refusal. Where the engines differ by design, DIFFERENCES says why.

Queries: the conformance corpus (benchmarks/hogql_conformance/corpus.sql), the conformance suite's cases
(test_conformance.py) and the operator table (test_operators.py, on its `ops` table). A query whose rows have no
defined order (no ORDER BY) is compared as a multiset; a LIMIT without ORDER BY, or a function of the clock or of
chance, only by its shape (row and column counts). A listed difference that disappears fails the test too, so the
table stays true.
"""

import json
import re
from pathlib import Path

import pytest

from tests.warehouse.query import differential
from tests.warehouse.query.test_conformance import REFUSED, ROWS
from tests.warehouse.query.test_operators import CASES
from tests.warehouse.query.test_operators import ROWS as OPS_ROWS
from warehouse.catalog import Column, build_catalog

pytest.importorskip("chdb", reason="the optional 'clickhouse' extra is not installed")

PROJECT = 31
CORPUS = Path(__file__).resolve().parents[3] / "benchmarks" / "hogql_conformance" / "corpus.sql"
OPS_COLUMNS = [Column("id", "integer"), Column("n", "integer"), Column("m", "integer")] + [
    Column("s", "string"),
    Column("p", "string"),
]

# A warehouse table with a Date column: date arithmetic on a column the catalog types `date` keeps a Date.
DATES_COLUMNS = [Column("id", "integer"), Column("d", "date")]
DATES_ROWS = [{"id": 1, "d": "2024-01-31"}, {"id": 2, "d": "2024-02-29"}, {"id": 3, "d": None}]
DATE_QUERIES = [
    "select id, dateAdd('day', 1, d), dateSub('month', 1, d), addMonths(d, 1), d - interval 1 week from dates order by id",
    "select id, dateTrunc('month', d), toStartOfMonth(d), subtractYears(d, 1), d + toIntervalDay(1) from dates order by id",
    "select id, dateAdd('hour', 1, d), d + 1 from dates order by id",
    # the function forms of + and -: a Date stays a Date, a DateTime plus a number moves by seconds
    "select id, plus(d, interval 1 day), minus(d, interval 1 month), plus(toDateTime(d), 90), "
    "minus(toDateTime(d), 60), plus(plus(id, 2), 3) from dates order by id",
]

# ClickHouse aggregates translated for DuckDB, over the seeded events (a group whose values are all NULL included)
PRICE = "toFloat(properties.price)"
AGGREGATE_QUERIES = [
    f"select event, medianExact({PRICE}), medianExactLow({PRICE}), round(skewPop({PRICE}), 6), "
    f"round(kurtSamp({PRICE}), 6), round(avgWeighted({PRICE}, 2), 6), countDistinctIf(distinct_id, {PRICE} > 10), "
    f"medianIf({PRICE}, distinct_id != ''), quantileIf(0.5)({PRICE}, 1 = 1) from events group by event order by event",
    f"select round(covarSamp({PRICE}, {PRICE} * 2), 4), round(stddevSampIf({PRICE}, {PRICE} > 100), 6), "
    f"uniqExactIf(distinct_id, event = 'purchase'), argMaxIf(event, {PRICE}, {PRICE} < 500) from events",
    f"select round(sin({PRICE}), 9), width_bucket({PRICE}, 0, 1000, 10), intDivOrZero(toInt({PRICE}), 7), "
    f"positiveModulo(toInt({PRICE}), 7) from events where {PRICE} is not null order by {PRICE}, distinct_id",
]

# Issue 16's function families over the seeded events (their literal cases are test_conformance.py's rows).
FAMILY_QUERIES = [
    "select properties.$current_url as u, protocol(u), path(u), pathFull(u), queryString(u), fragment(u), "
    "cutQueryStringAndFragment(u), encodeURLComponent(u), domain(u), port(u), topLevelDomain(u), "
    "cutToFirstSignificantSubdomain(u) from events order by uuid limit 40",
    "select event, countSubstrings(event, 'e'), positionUTF8(event, 'e'), substringUTF8(event, 2, 3), "
    "concatWithSeparator('/', event, distinct_id), splitByNonAlpha(event), reverseUTF8(event) from events "
    "order by uuid limit 40",
    "select toQuarter(timestamp), toDayOfYear(timestamp), toWeek(timestamp), toStartOfFifteenMinutes(timestamp), "
    "toLastDayOfWeek(timestamp), age('day', timestamp, toDateTime('2030-01-01 00:00:00')) from events order by uuid limit 40",
    "select arrayEnumerateDense(e), arrayEnumerateUniq(e), hasAll(e, ['$pageview']), arrayCumSum(arrayMap(x -> "
    "length(x), e)), arrayCompact(e), arrayDifference(arrayMap(x -> length(x), e)) from (select groupArray(event) as e "
    "from (select event from events order by uuid limit 30))",
    "select JSONType(toString(properties)), JSONLength(toString(properties)), JSONExtractUInt(toString(properties), "
    "'$screen_width'), isValidJSON(toString(properties)), mapKeys(map('a', event)) from events order by uuid limit 40",
]

ROLLUP = (
    "WITH ROLLUP/CUBE are refused on DuckDB (rolled-up keys are NULL there, ClickHouse's the type's default)"
)
CITY_HASH = "cityHash64 is refused on DuckDB (no function with its values); ClickHouse runs it"
SAMPLE = (
    "SAMPLE keeps a share of distinct_ids chosen by the engine's hash (DuckDB hash(), ClickHouse sipHash64)"
)
INTERVAL = "an interval value: a duration on DuckDB, a number of units on ClickHouse"
# query -> why DuckDB's answer differs from ClickHouse's (docs/warehouse-hogql.md, "Differential test").
DIFFERENCES: dict[str, str] = {
    "select event, count() from events group by event with rollup": ROLLUP,
    "select event, count() from events group by event with cube": ROLLUP,
    "select toStartOfDay(timestamp) as d from events order by d with fill": (
        "WITH FILL is refused on DuckDB (it would need the rows' types and steps); ClickHouse runs it"
    ),
    "select cityHash64('a'), md5('a'), hex(255)": CITY_HASH,
    "select cityHash64('a')": CITY_HASH,
    "select arrayFlatten([[1]])": (
        "arrayFlatten() has no DuckDB translation (it flattens every level; DuckDB's flatten() one); ClickHouse runs "
        "PostHog's whole function list natively"
    ),
    "select count() from events sample 1/10": SAMPLE,
    "select count() from events sample 0.1 offset 0.5": SAMPLE,
    "select groupArray(event) from (select event from events limit 3)": (
        "a LIMIT without ORDER BY in a subquery keeps whichever rows the engine reads first"
    ),
    "select toTypeName(1)": "toTypeName names the engine's own type (INTEGER, UInt8)",
    "select toIntervalDay(1), toIntervalHour(2)": INTERVAL,
    "select interval 1 day": INTERVAL,
    next(
        sql for sql, _ in ROWS if "lagInFrame" in sql
    ): "lagInFrame/leadInFrame: NULL past the frame's edge on DuckDB, the type's default (0) on ClickHouse",
}

# Answers that are not functions of the data (the clock, chance, or the order rows happen to be read in):
# compared by shape only.
UNSTABLE = re.compile(
    r"\b(now|today|yesterday|rand|generateUUIDv4|any|anyLast|groupUniqArray)\s*\(|groupArray\(\d+\)",
    re.IGNORECASE,
)


def queries() -> list[str]:
    corpus = [line for line in CORPUS.read_text().splitlines() if line and not line.startswith("--")]
    cases = [sql for sql, _ in ROWS] + [sql for sql, _ in REFUSED]
    operators = [f"select id, {expression} from ops order by id" for expression, _ in CASES]
    return list(dict.fromkeys(corpus + cases + operators + DATE_QUERIES + AGGREGATE_QUERIES))


def ordered(sql: str) -> bool:
    """The outer query has an ORDER BY (after the last closing bracket: not a window's or a subquery's)."""
    return " order by " in sql.lower().rsplit(")", 1)[-1]


def shape_only(sql: str) -> bool:
    tail = sql.lower().rsplit(")", 1)[-1]
    return bool(UNSTABLE.search(sql)) or (" limit " in tail and not ordered(sql))


@pytest.fixture
def both(settings, tmp_path):
    """Both engines on private storage, holding the same core tables and `ops` table."""
    from tests.warehouse.engine.clickhouse.support import use_embedded

    settings.WAREHOUSE_DIR = tmp_path / "warehouse"
    use_embedded(settings, tag="d")
    settings.WAREHOUSE_QUERY_TIMEOUT_SECONDS = 20
    engines = differential.engines()
    engines["duckdb"].seed_core_tables(PROJECT, events=300)
    differential.copy_core_tables(PROJECT)
    catalog = build_catalog(PROJECT, warehouse_tables={"ops": OPS_COLUMNS, "dates": DATES_COLUMNS})
    for name, rows in (("ops", OPS_ROWS), ("dates", DATES_ROWS)):
        path = tmp_path / f"{name}.jsonl"
        path.write_text("".join(json.dumps(row) + "\n" for row in rows))
        for engine in engines.values():
            differential.load_table(engine, catalog, name, path)
    return engines, catalog


def test_duckdb_and_clickhouse_give_the_same_answers(both):
    engines, catalog = both
    duckdb, clickhouse = engines["duckdb"], engines["clickhouse"]
    differing, report = set(), []
    for sql in queries():
        ours, theirs = (
            differential.outcome(duckdb, catalog, sql),
            differential.outcome(clickhouse, catalog, sql),
        )
        if shape_only(sql):
            ours, theirs = _shape(ours), _shape(theirs)
        if not differential.same(ours, theirs, ordered=ordered(sql)):
            differing.add(sql)
            if sql not in DIFFERENCES:
                report.append(f"{sql}\n  duckdb     {str(ours)[:300]}\n  clickhouse {str(theirs)[:300]}")
    stale = sorted(set(DIFFERENCES) - differing)
    assert report == [], f"{len(report)} unexplained differences:\n" + "\n".join(report)
    assert stale == [], f"listed as different but now the same: {stale}"


def _shape(outcome):
    kind, value = outcome
    if kind != "rows":
        return outcome
    return kind, [len(value), sorted({len(row) for row in value})]


# Functions of PostHog's list that ClickHouse has under names its system.functions does not list (native_functions.txt).
NATIVE_ON_CLICKHOUSE_ONLY = {
    "select timeStampAdd(toDateTime('2024-01-01 00:00:00'), toIntervalDay(1)) as t": [
        ["2024-01-02T00:00:00"]
    ],
    "select timeStampSub(toDateTime('2024-01-01 00:00:00'), toIntervalHour(1)) as t": [
        ["2023-12-31T23:00:00"]
    ],
    "select untuple((1, 'a'))": [[1, "a"]],
}


@pytest.mark.parametrize("sql", list(NATIVE_ON_CLICKHOUSE_ONLY))
def test_clickhouse_runs_what_duckdb_refuses_by_name(both, sql):
    engines, catalog = both
    function = sql.split()[1].split("(")[0]
    assert differential.outcome(engines["clickhouse"], catalog, sql) == (
        "rows",
        NATIVE_ON_CLICKHOUSE_ONLY[sql],
    )
    kind, message = differential.outcome(engines["duckdb"], catalog, sql)
    assert (kind, message) == (
        "refused",
        f"Invalid query: function {function}() is not supported by the <engine> engine",
    )
