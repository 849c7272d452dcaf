"""Realistic synthetic data for the core tables (events, persons, person_distinct_ids, sessions, groups).

Generated inside the engine from range() with hash-based pseudo-randomness, so the same seed gives the same rows
whatever the thread count, and 10 million events take seconds. The SQL is ours; no user input reaches it except
integers.
"""

from warehouse.engine.base import SeedCounts
from warehouse.engine.duckdb.connection import count_rows, literal, qualified
from warehouse.engine.duckdb.project import project_connection
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


def _pick(values: list[str], hashed: str) -> str:
    """SQL choosing one of `values` by a hash expression."""
    items = ", ".join(literal(value) for value in values)
    return f"([{items}])[1 + ({hashed}) % {len(values)}]"


def _h(seed: int, salt: str, column: str = "i") -> str:
    return f"(hash({column}, {int(seed)}, '{salt}') >> 1)::BIGINT"


def _uuid(seed: int, salt: str, column: str) -> str:
    digest = f"md5(concat({int(seed)}, '{salt}', {column}))"
    return (
        f"(substr({digest}, 1, 8) || '-' || substr({digest}, 9, 4) || '-4' || substr({digest}, 14, 3) || '-a' "
        f"|| substr({digest}, 18, 3) || '-' || substr({digest}, 21, 12))::UUID"
    )


def seed_core_tables(
    project_id: int, *, events: int, seed: int = 42, days: int = 30, replace: bool = True
) -> SeedCounts:
    """Fill the project's core tables: `events` events from ~events/20 persons over the last `days` days."""
    persons = max(1, events // 20)
    groups = max(1, persons // 25)
    t = {name: qualified(project_id, name) for name in CORE_SEEDED}
    person_id = _uuid(seed, "person", "p")
    with project_connection(project_id, read_only=False) as conn:
        conn.execute("BEGIN TRANSACTION")
        if replace:
            for name in CORE_SEEDED:
                conn.execute(f"DELETE FROM {t[name]}")
        conn.execute(
            f"""INSERT INTO {t["persons"]} (id, created_at, properties, is_identified)
            SELECT {_uuid(seed, "person", "i")}, TIMESTAMP '2024-01-01' + to_seconds({_h(seed, "pc")} % 31536000),
              json_object('email', 'user' || i || '@example.com', 'name', 'User ' || i,
                'plan', {_pick(PLANS, _h(seed, "plan"))}, '$geoip_country_code', {_pick(COUNTRIES, _h(seed, "geo"))},
                'company', 'company_' || ({_h(seed, "co")} % {groups})),
              {_h(seed, "ident")} % 3 > 0
            FROM range({persons}) AS r(i)"""
        )
        conn.execute(
            f"""INSERT INTO {t["person_distinct_ids"]} (distinct_id, person_id)
            SELECT 'user_' || i, {_uuid(seed, "person", "i")} FROM range({persons}) AS r(i)"""
        )
        conn.execute(
            f"""INSERT INTO {t["groups"]} (index, key, created_at, updated_at, properties)
            SELECT 0, 'company_' || i, TIMESTAMP '2023-06-01' + to_days(i % 365), TIMESTAMP '2024-06-01',
              json_object('name', 'Company ' || i, 'industry', {_pick(INDUSTRIES, _h(seed, "ind"))},
                'employees', 5 + {_h(seed, "emp")} % 5000)
            FROM range({groups}) AS r(i)"""
        )
        conn.execute(
            f"""INSERT INTO {t["events"]} (uuid, event, properties, timestamp, distinct_id, created_at, person_id,
              "$session_id", "$window_id", person_mode, "$group_0", elements_chain)
            SELECT {_uuid(seed, "event", "i")}, ev, props, ts, 'user_' || p, ts, {person_id},
              'session_' || s, 'window_' || s, 'full', 'company_' || ({_h(seed, "co", "p")} % {groups}), ''
            FROM (
              SELECT i, s, p, ev,
                date_trunc('second', current_date::TIMESTAMP - to_days({days})
                  + to_seconds({_h(seed, "ts", "s")} % ({days} * 86400))
                  + to_seconds((i % 12) * (5 + {_h(seed, "gap")} % 90))) AS ts,
                json_object('$browser', {_pick(BROWSERS, _h(seed, "br", "p"))},
                  '$os', {_pick(OSES, _h(seed, "os", "p"))},
                  '$pathname', path, '$current_url', 'https://example.com' || path,
                  '$geoip_country_code', {_pick(COUNTRIES, _h(seed, "geo", "p"))},
                  'price', CASE WHEN ev = 'purchase' THEN 5 + {_h(seed, "price")} % 500 END) AS props
              FROM (
                SELECT i, i // 12 AS s, {_h(seed, "who", "i // 12")} % {persons} AS p,
                  {_pick(EVENT_NAMES, _h(seed, "ev"))} AS ev, {_pick(PATHS, _h(seed, "path"))} AS path
                FROM range({events}) AS r(i)
              )
            )"""
        )
        conn.execute(
            f"""INSERT INTO {t["sessions"]} (id, session_id, distinct_id, "$start_timestamp", "$end_timestamp",
              "$num_uniq_urls", "$entry_pathname", "$exit_pathname", "$pageview_count", "$autocapture_count",
              "$channel_type", "$session_duration", duration, "$is_bounce")
            SELECT "$session_id", "$session_id", any_value(distinct_id), min(timestamp), max(timestamp),
              count(DISTINCT json_extract_string(properties, '$.$pathname')),
              arg_min(json_extract_string(properties, '$.$pathname'), timestamp),
              arg_max(json_extract_string(properties, '$.$pathname'), timestamp),
              count(*) FILTER (WHERE event = '$pageview'), count(*) FILTER (WHERE event = '$autocapture'),
              'Direct', date_diff('second', min(timestamp), max(timestamp)),
              date_diff('second', min(timestamp), max(timestamp)), count(*) = 1
            FROM {t["events"]} GROUP BY "$session_id"
            """
        )
        sessions = count_rows(conn, t["sessions"])
        conn.execute("COMMIT")
    return SeedCounts(events=events, persons=persons, sessions=int(sessions), groups=groups)
