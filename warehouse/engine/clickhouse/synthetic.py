"""Synthetic data for the core tables, generated inside ClickHouse from numbers() with hash-based randomness.

The same seed gives the same rows; the shapes match the DuckDB engine's (warehouse/engine/duckdb/synthetic.py):
events from ~events/20 persons over the last `days` days, browsers, paths, purchases with a price, sessions.
Only integers from the caller reach the SQL.
"""

from warehouse.engine.base import SeedCounts
from warehouse.engine.clickhouse.connection import literal, on_cluster, qualified, translate_errors, transport
from warehouse.engine.clickhouse.tables import ensure_project
from warehouse.engine.seed_vocabulary import (
    BROWSERS,
    CORE_SEEDED,
    COUNTRIES,
    EVENT_NAMES,
    INDUSTRIES,
    OSES,
    PATHS,
    PLANS,
)


def _h(seed: int, salt: str, column: str = "i") -> str:
    return f"(cityHash64({column}, {int(seed)}, '{salt}') % 9223372036854775807)"


def _pick(values: list[str], hashed: str) -> str:
    return f"[{', '.join(literal(value) for value in values)}][1 + ({hashed}) % {len(values)}]"


def _uuid(seed: int, salt: str, column: str) -> str:
    digest = f"lower(hex(MD5(concat('{int(seed)}', '{salt}', toString({column})))))"
    return (
        f"toUUID(concat(substring({digest}, 1, 8), '-', substring({digest}, 9, 4), '-4', substring({digest}, 14, 3),"
        f" '-a', substring({digest}, 18, 3), '-', substring({digest}, 21, 12)))"
    )


def _json(**fields: str) -> str:
    """A JSON object from SQL values (toJSONString quotes strings and writes numbers; NULL is written null)."""
    parts = [
        f"'{'{' if i == 0 else ','}\"{key}\":', ifNull(toJSONString({value}), 'null')"
        for i, (key, value) in enumerate(fields.items())
    ]
    return f"concat({', '.join(parts)}, '}}')"


def seed_core_tables(
    project_id: int, *, events: int, seed: int = 42, days: int = 30, replace: bool = True
) -> SeedCounts:
    """Fill the project's core tables: `events` events from ~events/20 persons over the last `days` days."""
    persons = max(1, int(events) // 20)
    groups = max(1, persons // 25)
    days = int(days)
    t = {name: qualified(project_id, name) for name in CORE_SEEDED}
    ensure_project(project_id)
    person_props = _json(
        email="concat('user', toString(i), '@example.com')",
        name="concat('User ', toString(i))",
        plan=_pick(PLANS, _h(seed, "plan")),
        **{"$geoip_country_code": _pick(COUNTRIES, _h(seed, "geo"))},
        company=f"concat('company_', toString({_h(seed, 'co')} % {groups}))",
    )
    event_props = _json(
        **{
            "$browser": _pick(BROWSERS, _h(seed, "br", "p")),
            "$os": _pick(OSES, _h(seed, "os", "p")),
            "$pathname": "path",
            "$current_url": "concat('https://example.com', path)",
            "$geoip_country_code": _pick(COUNTRIES, _h(seed, "geo", "p")),
        },
        price=f"if(ev = 'purchase', toNullable(5 + {_h(seed, 'price')} % 500), NULL)",
    )
    statements = [f"TRUNCATE TABLE {t[name]}{on_cluster()}" for name in CORE_SEEDED] if replace else []
    statements += [
        f"""INSERT INTO {t["persons"]} (id, created_at, properties, is_identified)
        SELECT {_uuid(seed, "person", "number")}, toDateTime64('2024-01-01 00:00:00', 6, 'UTC')
            + toIntervalSecond({_h(seed, "pc", "number")} % 31536000), props, {_h(seed, "ident", "number")} % 3 > 0
        FROM (SELECT number, number AS i, {person_props} AS props FROM numbers({persons}))""",
        f"""INSERT INTO {t["person_distinct_ids"]} (distinct_id, person_id)
        SELECT concat('user_', toString(number)), {_uuid(seed, "person", "number")} FROM numbers({persons})""",
        f"""INSERT INTO {t["groups"]} (index, key, created_at, updated_at, properties)
        SELECT 0, concat('company_', toString(i)), toDateTime64('2023-06-01 00:00:00', 6, 'UTC')
            + toIntervalDay(i % 365), toDateTime64('2024-06-01 00:00:00', 6, 'UTC'),
            {
            _json(
                name="concat('Company ', toString(i))",
                industry=_pick(INDUSTRIES, _h(seed, "ind")),
                employees=f"5 + {_h(seed, 'emp')} % 5000",
            )
        }
        FROM (SELECT number AS i FROM numbers({groups}))""",
        f"""INSERT INTO {t["events"]} (uuid, event, properties, timestamp, distinct_id, created_at, person_id,
            `$session_id`, `$window_id`, person_mode, `$group_0`, elements_chain)
        SELECT {_uuid(seed, "event", "i")}, ev, {event_props}, ts, concat('user_', toString(p)), ts,
            {_uuid(seed, "person", "p")}, concat('session_', toString(s)), concat('window_', toString(s)), 'full',
            concat('company_', toString({_h(seed, "co", "p")} % {groups})), ''
        FROM (
            SELECT i, s, p, ev, path,
                toStartOfSecond(toDateTime64(today(), 6, 'UTC') - toIntervalDay({days})
                    + toIntervalSecond({_h(seed, "ts", "s")} % ({days} * 86400))
                    + toIntervalSecond((i % 12) * (5 + {_h(seed, "gap")} % 90))) AS ts
            FROM (
                SELECT number AS i, intDiv(number, 12) AS s, {_h(seed, "who", "intDiv(number, 12)")} % {persons} AS p,
                    {_pick(EVENT_NAMES, _h(seed, "ev", "number"))} AS ev, {_pick(PATHS, _h(seed, "path", "number"))} AS path
                FROM numbers({int(events)})
            )
        )""",
        f"""INSERT INTO {t["sessions"]} (id, session_id, distinct_id, `$start_timestamp`, `$end_timestamp`,
            `$num_uniq_urls`, `$entry_pathname`, `$exit_pathname`, `$pageview_count`, `$autocapture_count`,
            `$channel_type`, `$session_duration`, duration, `$is_bounce`)
        SELECT `$session_id`, `$session_id`, any(distinct_id), min(timestamp), max(timestamp),
            uniqExact(JSONExtractString(properties, '$pathname')),
            argMin(JSONExtractString(properties, '$pathname'), timestamp),
            argMax(JSONExtractString(properties, '$pathname'), timestamp),
            countIf(event = '$pageview'), countIf(event = '$autocapture'), 'Direct',
            dateDiff('second', min(timestamp), max(timestamp)), dateDiff('second', min(timestamp), max(timestamp)),
            count() = 1
        FROM {t["events"]} GROUP BY `$session_id`""",
    ]
    with translate_errors(project_id):
        for sql in statements:
            transport().command(sql, settings={"output_format_json_escape_forward_slashes": 0})
        sessions = int(transport().execute(f"SELECT count() FROM {t['sessions']}").rows[0][0])
    return SeedCounts(events=int(events), persons=persons, sessions=sessions, groups=groups)
