"""Loading warehouse tables: reserve the name, stage the data, load it now or in a job, and clean up after death.

A load is a WarehouseTable row in status Running (its name reserved, `load_heartbeat_at` renewed while its
process lives), then Completed with its columns and row count. Small plain uploads load within the request;
anything larger, compressed, or from S3 is loaded by a job (`load_table`, below) and the client polls
the table's `status`. The engine builds the table aside and swaps it in atomically (warehouse/engine/
duckdb/loader.py), so a load that dies leaves nothing in the engine; its row is reclaimed once its heartbeat is
older than WAREHOUSE_LOAD_LEASE_SECONDS (by the next load of that name, and by the sweep), which frees the name.
"""

import logging
import shutil
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from core.errors import InvalidInput
from jobs.leases import LostLease
from jobs.queue import job
from users.models import Project, User
from warehouse.column_types import stored_column
from warehouse.engine import EngineBusyError, EngineError, LoadTooLargeError, get_engine
from warehouse.engine.scratch import scratch_space
from warehouse.engine_tables import drop_engine_table
from warehouse.models import LoadStatus, WarehouseCredential, WarehouseTable
from warehouse.names import same_table_as
from warehouse.naming import NameTaken, claim_name, validate_name
from warehouse.s3 import S3Source, check_s3, download_s3
from warehouse.selectors import catalog_for
from warehouse.staging import expand, is_compressed, save_upload

logger = logging.getLogger(__name__)
LOADABLE_FORMATS = ("CSV", "CSVWithNames", "Parquet", "JSONEachRow")
INTERRUPTED = "The load was interrupted (its process stopped); load the data again"
__all__ = ["LOADABLE_FORMATS", "S3Source", "warehouse_table_create", "warehouse_table_delete"]


class LoadFailed(InvalidInput):
    """A load that could not complete; the message is what the client sees (a 400 on `attr`, or the table's error)."""


def warehouse_table_create(
    *,
    project: Project,
    user: User | None,
    name: str,
    file_format: str,
    upload: UploadedFile | None = None,
    local_path: Path | None = None,
    url_pattern: str = "",
    credential: dict[str, str] | None = None,
) -> WarehouseTable:
    """Reserves the name and loads the data: at once when it is small and plain, else in a job (status Running).

    The data is an upload, a local file (`manage.py load_warehouse_table`), or the S3 objects `url_pattern` matches,
    read with `credential` (`access_key`, `access_secret`).
    """
    validate_name(name, catalog=catalog_for(project=project), kind="table")
    s3 = None
    if local_path is None and _sends_url(upload, url_pattern):
        s3 = _s3_source(url_pattern, credential)
    if s3 is not None:
        check_s3(s3)  # a wrong URL, bucket or pattern is a 400 now, not a failed job later
    reclaim_dead_loads(project=project, name=name)
    table = _reserve(project=project, user=user, name=name, file_format=file_format, s3=s3)
    try:
        sources = [local_path] if local_path is not None else []
        if upload is not None:
            sources = [save_upload(upload, incoming_dir(table.pk))]
        inline = local_path is not None or (s3 is None and _small_and_plain(sources[0]))
    except BaseException:
        _discard(table)
        raise
    if not inline:
        load_table.enqueue_on_commit(str(table.pk))
        table.refresh_from_db()
        return table
    try:
        run_load(table=table, sources=sources)
    except BaseException:
        _discard(table)
        raise
    table.refresh_from_db()
    return table


def load_in_background(*, table_id: str) -> None:
    """The job's side: load a reserved table from its staged upload or its S3 pattern; failures are recorded."""
    table = WarehouseTable.objects.select_related("credential").filter(pk=table_id).first()
    if table is None or table.deleted or table.status != LoadStatus.RUNNING:
        return  # reclaimed, deleted, or already done (a job delivered twice)
    try:
        staged = sorted(path for path in incoming_dir(table.pk).glob("*") if path.is_file())
        run_load(table=table, sources=staged)
    except (LoadFailed, EngineBusyError) as err:
        _fail(table, err.message if isinstance(err, LoadFailed) else str(err))
    except Exception as err:
        logger.exception("Loading warehouse table %s failed", table.pk)
        _fail(table, f"The load failed unexpectedly ({type(err).__name__})")
        raise
    finally:
        shutil.rmtree(incoming_dir(table.pk), ignore_errors=True)


def run_load(*, table: WarehouseTable, sources: list[Path]) -> None:
    """Stage (download, expand within the limits), load into the engine, then mark the table Completed."""
    s3 = None
    if table.url_pattern:
        credential = table.credential
        assert credential is not None  # a url_pattern is only accepted with a credential
        s3 = S3Source(table.url_pattern, credential.access_key, credential.access_secret)
    with renewed_lease(table.pk):
        columns, rows = load_data(
            project=table.project, name=table.name, file_format=table.format, sources=sources, s3=s3
        )
    _complete(table, columns=columns, rows=rows)


def load_data(
    *, project: Project, name: str, file_format: str, sources: list[Path], s3: S3Source | None = None
) -> tuple[list[tuple[str, str]], int]:
    """Stage the files (or download `s3`), expand them within the limits, and swap them into the engine as `name`
    (atomically: until it commits the engine keeps whatever `name` held). (columns, rows); LoadFailed else."""
    attr = "url_pattern" if s3 is not None else "file"
    with scratch_space("stage") as folder:
        try:
            if s3 is not None:
                sources = download_s3(s3, into=folder)
            files = expand(sources, into=folder, attr=attr)
        except InvalidInput as err:
            raise LoadFailed(err.message, attr=attr) from err
        try:
            return get_engine().load_files(catalog_for(project=project), name, files, file_format)
        except EngineBusyError:
            raise
        except LoadTooLargeError as err:
            raise LoadFailed(str(err), attr="file") from err
        except EngineError as err:
            raise LoadFailed(f"Could not load the data as {file_format}: {err}", attr="format") from err


def _complete(table: WarehouseTable, *, columns: list[tuple[str, str]], rows: int) -> None:
    stored = {column: stored_column(engine_type) for column, engine_type in columns}
    done = WarehouseTable.objects.filter(pk=table.pk, deleted=False, status=LoadStatus.RUNNING).update(
        status=LoadStatus.COMPLETED, columns=stored, row_count=rows, load_heartbeat_at=None, error=None
    )
    if (
        not done
    ):  # deleted (or reclaimed) while the rows went in: keep nothing, unless the name is taken again
        if not name_live(table):
            _drop(project=table.project, name=table.name)
        raise LoadFailed("The table was deleted while its data was loading.", attr="name")


def warehouse_table_delete(*, project: Project, table_id: uuid.UUID) -> None:
    """Soft delete (the name is free again) and drop the engine's table once committed."""
    with transaction.atomic():
        table = WarehouseTable.objects.select_for_update().get(project=project, pk=table_id, deleted=False)
        table.soft_delete()
        transaction.on_commit(lambda: _drop(project=project, name=table.name))


# --- reclaiming loads whose process died ------------------------------------------------------------------------
def reclaim_dead_loads(*, project: Project | None = None, name: str | None = None) -> list[str]:
    """Loads without a heartbeat for WAREHOUSE_LOAD_LEASE_SECONDS: drop whatever they left in the engine while the
    row still holds the name, then free it (soft-deleted, Failed). Safe from several processes at once."""
    cutoff = timezone.now() - timedelta(seconds=float(settings.WAREHOUSE_LOAD_LEASE_SECONDS))
    dead = WarehouseTable.objects.filter(
        status=LoadStatus.RUNNING, deleted=False, load_heartbeat_at__lt=cutoff
    )
    if project is not None:
        dead = dead.filter(project=project)
    reclaimed = []
    for table in dead.select_related("project"):
        if name is not None and same_table_as(name, [table.name]) is None:
            continue
        claimed = WarehouseTable.objects.filter(
            pk=table.pk, load_heartbeat_at=table.load_heartbeat_at
        ).update(status=LoadStatus.FAILED, error=INTERRUPTED)
        if not claimed:
            continue  # it renewed its lease, or another process is reclaiming it
        try:  # while the row still holds the name, so no new load of it can be swapped in meanwhile
            get_engine().drop_table(catalog_for(project=table.project), table.name)
        except EngineError:
            logger.warning(
                "Could not drop the table of dead load %s yet; retrying later", table.pk, exc_info=True
            )
            WarehouseTable.objects.filter(pk=table.pk).update(status=LoadStatus.RUNNING, error=None)
            continue
        WarehouseTable.objects.filter(pk=table.pk).update(deleted=True, deleted_at=timezone.now())
        shutil.rmtree(incoming_dir(table.pk), ignore_errors=True)
        logger.warning("Reclaimed warehouse table load %s (%s): its process stopped", table.pk, table.name)
        reclaimed.append(table.name)
    return reclaimed


def reclaim_load(*, table_id: str, error: str) -> None:
    """A background load whose job lost its lease: drop what it may have swapped in, then fail it (name freed)."""
    table = WarehouseTable.objects.select_related("project").filter(pk=table_id).first()
    if table is None or table.deleted or table.status != LoadStatus.RUNNING:
        return
    claimed = WarehouseTable.objects.filter(pk=table.pk, status=LoadStatus.RUNNING).update(
        status=LoadStatus.FAILED, error=error
    )
    if claimed:
        _drop(project=table.project, name=table.name)
        WarehouseTable.objects.filter(pk=table.pk).update(deleted=True, deleted_at=timezone.now())
        shutil.rmtree(incoming_dir(table.pk), ignore_errors=True)


def sweep_incoming() -> list[str]:
    """Staged uploads whose load is over (or whose row is gone): removed."""
    root = Path(settings.WAREHOUSE_DIR) / "incoming"
    if not root.is_dir():
        return []
    running = {
        str(pk)
        for pk in WarehouseTable.objects.filter(status=LoadStatus.RUNNING, deleted=False).values_list(
            "pk", flat=True
        )
    }
    removed = [entry.name for entry in root.iterdir() if entry.name not in running]
    for entry in removed:
        shutil.rmtree(root / entry, ignore_errors=True)
        logger.warning("Removed staged upload %s of a load that is over", entry)
    return removed


def incoming_dir(table_id: uuid.UUID | str) -> Path:
    """Where an upload waits for its background load."""
    return Path(settings.WAREHOUSE_DIR) / "incoming" / str(table_id)


@contextmanager
def renewed_lease(table_id: uuid.UUID, status: str = LoadStatus.RUNNING) -> Iterator[None]:
    """Renew the load's heartbeat every third of the lease while the block runs (from a thread of its own);
    `status`: the row's while it loads (Completed for a replace, whose old data stays queryable meanwhile)."""
    every = float(settings.WAREHOUSE_LOAD_LEASE_SECONDS) / 3
    stop = threading.Event()

    def renew() -> None:
        try:
            while not stop.wait(every):
                try:
                    WarehouseTable.objects.filter(pk=table_id, status=status).update(
                        load_heartbeat_at=timezone.now()
                    )
                except DatabaseError:
                    logger.warning("Could not renew the lease of load %s", table_id, exc_info=True)
        finally:
            connection.close()

    thread = threading.Thread(target=renew, name=f"lease-{table_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


# --- helpers ----------------------------------------------------------------------------------------------------
def _reserve(
    *, project: Project, user: User | None, name: str, file_format: str, s3: S3Source | None
) -> WarehouseTable:
    creator = user if user is not None and user.is_authenticated else None
    try:
        with transaction.atomic():
            claim_name(project=project, name=name, kind="table")
            credential = None
            if s3 is not None:
                credential = WarehouseCredential.objects.create(
                    project=project,
                    access_key=s3.access_key,
                    access_secret=s3.access_secret,
                    created_by=creator,
                )
            return WarehouseTable.objects.create(
                project=project,
                name=name,
                format=file_format,
                url_pattern=s3.url_pattern if s3 is not None else "",
                credential=credential,
                created_by=creator,
                status=LoadStatus.RUNNING,
                load_heartbeat_at=timezone.now(),
            )
    except IntegrityError as err:
        raise NameTaken() from err


def _sends_url(upload: UploadedFile | None, url_pattern: str) -> bool:
    """Whether the data comes from a URL pattern; a request sends it one way, a file or a URL pattern."""
    if (upload is not None) == bool(url_pattern):
        raise InvalidInput(
            "Send either a file (multipart) or a url_pattern, not both or neither.", attr="file"
        )
    return bool(url_pattern)


def _s3_source(url_pattern: str, credential: dict[str, str] | None) -> S3Source:
    if not credential:
        raise InvalidInput("A url_pattern needs a credential (access_key, access_secret).", attr="credential")
    return S3Source(url_pattern, credential["access_key"], credential["access_secret"])


def _small_and_plain(path: Path) -> bool:
    return path.stat().st_size <= int(settings.WAREHOUSE_LOAD_INLINE_MAX_BYTES) and not is_compressed(path)


def _discard(table: WarehouseTable) -> None:
    """A load refused or failed in the request: no trace of it remains."""
    WarehouseTable.objects.filter(pk=table.pk).delete()
    if table.credential_id is not None:
        WarehouseCredential.objects.filter(pk=table.credential_id).delete()
    shutil.rmtree(incoming_dir(table.pk), ignore_errors=True)


def _fail(table: WarehouseTable, error: str) -> None:
    """A background load that failed: its row says why (visible by id) and its name is free."""
    WarehouseTable.objects.filter(pk=table.pk, status=LoadStatus.RUNNING).update(
        status=LoadStatus.FAILED, error=error, deleted=True, deleted_at=timezone.now(), load_heartbeat_at=None
    )


def name_live(table: WarehouseTable) -> bool:
    names = WarehouseTable.objects.filter(project_id=table.project_id, deleted=False).values_list(
        "name", flat=True
    )
    return same_table_as(table.name, list(names)) is not None


def _drop(*, project: Project, name: str) -> None:
    drop_engine_table(project=project, name=name)


# --- the job ----------------------------------------------------------------------------------------------------
def _load_project_of(table_id: str) -> int | None:
    return WarehouseTable.objects.filter(pk=table_id).values_list("project_id", flat=True).first()


def _load_lease_lost(lost: LostLease, table_id: str) -> None:
    reclaim_load(table_id=table_id, error=f"The load stopped: {lost.reason}; load the data again")


@job(
    kind="warehouse_load",
    time_limit=lambda: float(settings.WAREHOUSE_LOAD_TIMEOUT_SECONDS),
    project_of=_load_project_of,
    on_lease_lost=_load_lease_lost,
    name="warehouse.tasks.load_table",  # where it was defined until it moved beside its service
)
def load_table(table_id: str) -> None:
    """Load a reserved warehouse table from its staged upload or S3 pattern (too large for the request)."""
    load_in_background(table_id=table_id)
