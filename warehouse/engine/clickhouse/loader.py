"""Loading local files into a project's table: into a scratch table, swapped in atomically, at most `max_rows`.

The SQL is built here only: the paths are our own staged files (string literals), the table names quoted, the
format one of a fixed list. Embedded ClickHouse reads the files itself (the file() table function, allowed here
and refused in every user statement by readonly=1). A server cannot see this machine's files: the columns are
inferred by the server from a sample (text formats) or read from the Parquet footer, then the files are sent,
each read and sent LOAD_CHUNK_BYTES at a time (a chunked HTTP body), so a load holds one chunk of a file in memory,
never the whole file.
"""

from collections.abc import Iterator, Sequence
from pathlib import Path

from warehouse.engine.base import EngineError, LoadTooLargeError
from warehouse.engine.clickhouse.connection import (
    literal,
    on_cluster,
    qualified,
    quote,
    table_engine,
    translate_errors,
    transport,
)
from warehouse.engine.clickhouse.materialize import drop_quietly, scratch_name, swap_in
from warehouse.engine.clickhouse.tables import ensure_project

# PostHog's table formats -> ClickHouse's input format (CSV detects a header row, as PostHog's CSV loads do).
FORMATS = {"CSV": "CSV", "CSVWithNames": "CSVWithNames", "Parquet": "Parquet", "JSONEachRow": "JSONEachRow"}
# Nullable only where the data has nulls, as DuckDB and PostHog type loaded columns.
INFERENCE = "SETTINGS schema_inference_make_columns_nullable = 'auto'"
SAMPLE_BYTES = 1024 * 1024
LOAD_CHUNK_BYTES = 1024 * 1024  # what a load to a server reads of a file and sends at once


def load_files(
    project_id: int, name: str, files: Sequence[Path], file_format: str, *, max_rows: int
) -> tuple[list[tuple[str, str]], int]:
    """Replace table `name` with the rows of `files`; (columns, rows written)."""
    if file_format not in FORMATS:
        raise EngineError(f"Unsupported format {file_format!r}; choose one of {sorted(FORMATS)}")
    if not files:
        raise EngineError("No files to load")
    ensure_project(project_id)
    scratch = scratch_name()
    built = qualified(project_id, scratch)
    try:
        with translate_errors(project_id):
            if transport().kind == "embedded":
                _read_here(built, files, FORMATS[file_format], max_rows)
            else:
                _send(built, files, FORMATS[file_format])
            rows = int(transport().execute(f"SELECT count() FROM {built}").rows[0][0])
            columns = [
                (str(row[0]), str(row[1])) for row in transport().execute(f"DESCRIBE TABLE {built}").rows
            ]
            if rows > max_rows:
                raise LoadTooLargeError(f"The data has more than {max_rows} rows (WAREHOUSE_LOAD_MAX_ROWS)")
            swap_in(project_id, scratch, name)
    except BaseException:
        drop_quietly(project_id, scratch)
        raise
    return columns, rows


def _read_here(built: str, files: Sequence[Path], fmt: str, max_rows: int) -> None:
    """Embedded: ClickHouse reads the files (at most max_rows + 1 rows, so an oversized file stops early)."""
    reads = " UNION ALL ".join(
        f"SELECT * FROM file({literal(str(Path(f).resolve()))}, {literal(fmt)})" for f in files
    )
    transport().command(
        f"CREATE TABLE {built}{on_cluster()} ENGINE = {table_engine()} ORDER BY tuple() "
        f"AS SELECT * FROM ({reads}) LIMIT {int(max_rows) + 1} {INFERENCE}"
    )


def _send(built: str, files: Sequence[Path], fmt: str) -> None:
    """Server: create the table with the first file's columns, then send each file's bytes in its format."""
    columns = ", ".join(f"{quote(column)} {kind}" for column, kind in _columns(Path(files[0]), fmt))
    transport().command(
        f"CREATE TABLE {built}{on_cluster()} ({columns}) ENGINE = {table_engine()} ORDER BY tuple()"
    )
    for path in files:
        with Path(path).open("rb") as handle:
            transport().insert_data(built, _chunks(handle), fmt=fmt)


def _chunks(handle) -> Iterator[bytes]:
    """The file's bytes, LOAD_CHUNK_BYTES at a time."""
    while chunk := handle.read(LOAD_CHUNK_BYTES):
        yield chunk


def _columns(path: Path, fmt: str) -> list[tuple[str, str]]:
    if fmt == "Parquet":
        return _parquet_columns(path)
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    if len(sample) == SAMPLE_BYTES and b"\n" in sample:
        sample = sample[: sample.rindex(b"\n") + 1]  # whole lines only
    text = sample.decode("utf-8", errors="replace")
    sql = f"DESCRIBE TABLE format({fmt}, {literal(text)}) {INFERENCE}"
    # The sample is inside the statement: allow its size and what the client appends (FORMAT ...); ClickHouse's
    # default max_query_size, 256 KiB, would refuse a sample of a larger file.
    rows = transport().execute(sql, settings={"max_query_size": len(sql.encode()) + 4096}).rows
    return [(str(row[0]), str(row[1])) for row in rows]


_ARROW_TYPES = {
    "int8": "Int8", "int16": "Int16", "int32": "Int32", "int64": "Int64",
    "uint8": "UInt8", "uint16": "UInt16", "uint32": "UInt32", "uint64": "UInt64",
    "float": "Float32", "double": "Float64", "halffloat": "Float32",
    "string": "String", "large_string": "String", "binary": "String", "large_binary": "String",
    "bool": "Bool", "date32": "Date32", "date64": "Date32",
}  # fmt: skip


def _arrow_type(kind) -> str:
    import pyarrow as pa

    if pa.types.is_timestamp(kind):
        digits = {"s": 0, "ms": 3, "us": 6, "ns": 9}[kind.unit]
        return f"DateTime64({digits}, {literal(kind.tz or 'UTC')})"
    if pa.types.is_decimal(kind):
        return f"Decimal({kind.precision}, {kind.scale})"
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        return f"Array({_arrow_type(kind.value_type)})"
    return _ARROW_TYPES.get(str(kind), "String")


def _parquet_columns(path: Path) -> list[tuple[str, str]]:
    """Columns from the Parquet footer: Nullable where a row group counts nulls (as ClickHouse's 'auto')."""
    import pyarrow.parquet as pq  # chdb-core's dependency, in the clickhouse extra

    metadata = pq.ParquetFile(path).metadata
    schema = metadata.schema.to_arrow_schema()
    columns = []
    for index, column in enumerate(schema):
        kind = _arrow_type(column.type)
        nulls = any(
            (stats := metadata.row_group(group).column(index).statistics) is None or stats.null_count
            for group in range(metadata.num_row_groups)
        )
        nullable = nulls and not kind.startswith("Array")
        columns.append((column.name, f"Nullable({kind})" if nullable else kind))
    return columns
