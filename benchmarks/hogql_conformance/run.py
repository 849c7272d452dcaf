"""HogQL conformance: each corpus query classified by what /query/ would answer, and the two parsers compared.

Run: [WAREHOUSE_ENGINE=clickhouse] .venv/bin/python benchmarks/hogql_conformance/run.py [--repo PATH] [--list]
     [--parsers] [--corpus benchmarks/hogql_conformance/posthog_corpus.sql]
The engine is the configured one (WAREHOUSE_ENGINE; ClickHouse runs embedded, in the temporary warehouse folder).

Classes: `ok` (200 with rows), `refused` (a 400 naming what is not supported), `syntax` (a 400: our parser
rejects it), `engine` (a 400 from the engine: we printed SQL it rejects, a translation gap), `crash` (a 5xx).
`--corpus` runs another corpus: posthog_corpus.sql holds the HogQL of PostHog's own tests (posthog_corpus.py); its
counts are also split by posthog_refuses.sql into what PostHog answers (200 is right) and what it refuses (400 is).
`--repo` analyses with another checkout (e.g. an older commit unpacked with `git archive`) to measure before/after.
`--parsers` also parses the corpus with PostHog's C++ parser (PyPI `hogql-parser`, if importable) and sqlglot and
reports acceptance and parse time (median of 5 passes over the corpus, both measured in the same run).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repo", default=str(HERE.parent.parent))
    parser.add_argument("--list", action="store_true", help="print every query with its class")
    parser.add_argument("--parsers", action="store_true", help="compare PostHog's parser with sqlglot")
    parser.add_argument(
        "--corpus", default=str(HERE / "corpus.sql"), help="posthog_corpus.sql: PostHog's tests"
    )
    options = parser.parse_args()
    sys.path.insert(0, options.repo)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ["WAREHOUSE_DIR"] = tempfile.mkdtemp(prefix="phc-conformance-")
    import django

    django.setup()
    import logging

    logging.getLogger("sqlglot").setLevel(logging.ERROR)
    queries = _lines(Path(options.corpus))
    classes = classify(queries)
    counts = Counter(kind for kind, _ in classes)
    from django.conf import settings

    print(
        f"{settings.WAREHOUSE_ENGINE}, {len(queries)} queries: "
        + ", ".join(f"{kind} {counts[kind]}" for kind in sorted(counts))
    )
    errors_file = Path(options.corpus).with_name("posthog_refuses.sql")
    if Path(options.corpus).name == "posthog_corpus.sql" and errors_file.exists():
        print_split(queries, classes, set(_lines(errors_file)))
    if options.list:
        for query, (kind, detail) in zip(queries, classes, strict=True):
            print(f"{kind:8} {query}\n         {detail[:160]}")
    if options.parsers:
        compare_parsers(queries)


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text().splitlines() if line and not line.startswith("--")]


def print_split(queries: list[str], classes: list[tuple[str, str]], posthog_refuses: set[str]) -> None:
    """The corpus in two parts: what PostHog answers (a 200 is right) and what it refuses (a 400 is right)."""
    answers = Counter(
        kind for query, (kind, _) in zip(queries, classes, strict=True) if query not in posthog_refuses
    )
    refused = Counter(
        kind for query, (kind, _) in zip(queries, classes, strict=True) if query in posthog_refuses
    )
    total = sum(answers.values())
    print(
        f"  PostHog answers {total}: ok {answers['ok']} ({100 * answers['ok'] / max(total, 1):.1f}%), "
        + ", ".join(f"{kind} {answers[kind]}" for kind in sorted(answers) if kind != "ok")
    )
    print(
        f"  PostHog refuses {sum(refused.values())}: "
        + ", ".join(f"{k} {refused[k]}" for k in sorted(refused))
    )


def classify(queries: list[str]) -> list[tuple[str, str]]:
    from warehouse.catalog import build_catalog
    from warehouse.engine import EngineError, get_engine
    from warehouse.hogql import HogQLError, HogQLSyntaxError, analyze_view

    get_engine().seed_core_tables(1, events=300)
    catalog = build_catalog(1)
    results = []
    for query in queries:
        try:
            analyzed = analyze_view(query, catalog, get_engine())
            get_engine().run_query(catalog, analyzed.tree, limit=100, timeout_seconds=10)
            results.append(("ok", ""))
        except HogQLSyntaxError as err:
            results.append(("syntax", str(err)))
        except HogQLError as err:
            results.append(("refused", str(err)))
        except EngineError as err:
            results.append(("engine", str(err)))
        except Exception as err:  # noqa: BLE001 - a crash is what we count
            results.append(("crash", f"{type(err).__name__}: {err}"))
    return results


def compare_parsers(queries: list[str]) -> None:
    from warehouse.hogql.dialect import parse_statements

    def sqlglot_accepts(query: str) -> bool:
        try:
            parse_statements(query)
            return True
        except Exception:  # noqa: BLE001
            return False

    print(
        f"sqlglot (HogQL dialect): accepts {sum(map(sqlglot_accepts, queries))}/{len(queries)}, "
        f"parse {_median_ms(lambda: [sqlglot_accepts(q) for q in queries])} ms per corpus pass"
    )
    try:
        started = time.perf_counter()
        import hogql_parser
    except ImportError:
        print("hogql-parser: not importable (pip install hogql-parser to compare)")
        return
    loaded = (time.perf_counter() - started) * 1000

    def posthog_accepts(query: str) -> bool:
        return '"error":true' not in hogql_parser.parse_select_json(query)[:200]

    accepted = [posthog_accepts(query) for query in queries]
    print(
        f"hogql-parser: import {loaded:.0f} ms, accepts {sum(accepted)}/{len(queries)}, "
        f"parse {_median_ms(lambda: [posthog_accepts(q) for q in queries])} ms per corpus pass"
    )
    for query, ok in zip(queries, accepted, strict=True):
        if ok != sqlglot_accepts(query):
            print(f"  {'only PostHog' if ok else 'only sqlglot'}: {query}")


def _median_ms(work) -> str:
    times = []
    for _ in range(5):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return f"{statistics.median(times) * 1000:.0f}"


if __name__ == "__main__":
    main()
