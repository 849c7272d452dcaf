"""Warehouse models: saved queries (views), warehouse tables and their change history."""

import secrets
import threading
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from users.models import Project
from warehouse.names import core_table_named

_uuid_lock = threading.Lock()
_uuid_last = [0, 0]  # last millisecond, counter within it


def uuid7() -> uuid.UUID:
    """A time-ordered UUID (RFC 9562 version 7), monotonic within a process, like PostHog's UUIDT.

    Ids sort by creation time, so "the newest history entry" is well defined even within one millisecond.
    """
    with _uuid_lock:
        millis = time.time_ns() // 1_000_000
        if millis <= _uuid_last[0]:
            millis, counter = _uuid_last[0], _uuid_last[1] + 1
            if counter >= 1 << 12:  # 4096 ids in one millisecond: borrow the next one
                millis, counter = millis + 1, 0
        else:
            counter = 0
        _uuid_last[0], _uuid_last[1] = millis, counter
    rand_b = int.from_bytes(secrets.token_bytes(8)) & ((1 << 62) - 1)
    value = (millis << 80) | (0x7 << 76) | (counter << 64) | (0b10 << 62) | rand_b
    return uuid.UUID(int=value)


class SyncFrequency:
    """PostHog's materialization frequencies: the API string and the stored interval (the values PostHog's
    `sync_frequency_to_sync_frequency_interval` accepts today; the schedule ticks every minute)."""

    INTERVALS: dict[str, timedelta] = {
        "1min": timedelta(minutes=1),
        "5min": timedelta(minutes=5),
        "15min": timedelta(minutes=15),
        "30min": timedelta(minutes=30),
        "1hour": timedelta(hours=1),
        "6hour": timedelta(hours=6),
        "12hour": timedelta(hours=12),
        "24hour": timedelta(hours=24),
        "7day": timedelta(days=7),
        "30day": timedelta(days=30),
    }
    NEVER = "never"
    CHOICES: tuple[str, ...] = (*INTERVALS, NEVER)

    @classmethod
    def to_interval(cls, frequency: str) -> timedelta | None:
        return None if frequency == cls.NEVER else cls.INTERVALS[frequency]

    @classmethod
    def from_interval(cls, interval: timedelta | None) -> str | None:
        if interval is None:
            return None
        return next((name for name, value in cls.INTERVALS.items() if value == interval), None)


def unique_live_name(name: str) -> models.UniqueConstraint:
    """One live row per project and name compared case-insensitively, as the engine resolves names
    (warehouse/names.py); a race that slips past validation fails here."""
    return models.UniqueConstraint(
        models.F("project"), Lower("name"), condition=models.Q(deleted=False), name=name
    )


class SoftDeleteFields(models.Model):
    deleted = models.BooleanField(default=False)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def soft_delete(self, *, save: bool = True) -> None:
        """Flagged deleted now (its name is free again); `save=False` leaves the saving to the caller."""
        self.deleted, self.deleted_at = True, timezone.now()
        if save:
            self.save(update_fields=["deleted", "deleted_at"])

    def clean(self) -> None:
        """For writes outside the API (the admin): a live row never takes a PostHog table's name, in any case."""
        super().clean()
        if not self.deleted and core_table_named(getattr(self, "name", "")) is not None:
            raise ValidationError(
                {"name": "This name is a PostHog table's (names are compared ignoring case)."}
            )


class LoadStatus(models.TextChoices):
    RUNNING = "Running"
    COMPLETED = "Completed"
    FAILED = "Failed"


class WarehouseTable(SoftDeleteFields):
    """A table in the project's warehouse (loaded data, or a materialized view); columns in stored form."""

    class Format(models.TextChoices):
        CSV = "CSV"
        CSV_WITH_NAMES = "CSVWithNames"
        PARQUET = "Parquet"
        JSON = "JSONEachRow"
        DELTA = "Delta"
        DELTA_S3_WRAPPER = "DeltaS3Wrapper"

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="warehouse_tables")
    name = models.CharField(max_length=128)
    format = models.CharField(max_length=128, choices=Format.choices, default=Format.PARQUET)
    columns = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Loaded data (materialization issue): where it came from and how many rows it holds.
    url_pattern = models.CharField(max_length=500, blank=True, default="")
    credential = models.ForeignKey(
        "WarehouseCredential", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    row_count = models.BigIntegerField(null=True, blank=True)
    # A load's progress: Running while the rows go in (the name is reserved; `load_heartbeat_at` is renewed while
    # its process lives), then Completed, or Failed with `error` (a failed load is soft-deleted: its name is free).
    status = models.CharField(max_length=16, choices=LoadStatus.choices, default=LoadStatus.COMPLETED)
    error = models.TextField(null=True, blank=True)  # noqa: DJ001
    load_heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [unique_live_name("warehouse_table_unique_live_name")]

    def __str__(self) -> str:
        return self.name


class SavedQuery(SoftDeleteFields):
    """PostHog's DataWarehouseSavedQuery: a named HogQL view with typed columns."""

    class Status(models.TextChoices):
        CANCELLED = "Cancelled"
        MODIFIED = "Modified"  # the definition changed since it was last materialized
        COMPLETED = "Completed"
        FAILED = "Failed"
        RUNNING = "Running"

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="saved_queries")
    name = models.CharField(max_length=128)
    query = models.JSONField(default=dict, blank=True, help_text="HogQL query: {kind, query}")
    columns = models.JSONField(
        default=dict, blank=True, help_text="Stored columns: {name: {hogql, clickhouse, valid}}"
    )
    dependencies = models.JSONField(
        default=list, blank=True, help_text="Names of the tables and views read directly"
    )
    # Null means "never run", as in PostHog (the API shows null, not "").
    status = models.CharField(max_length=64, null=True, blank=True, choices=Status.choices)  # noqa: DJ001
    last_run_at = models.DateTimeField(null=True, blank=True)
    latest_error = models.TextField(null=True, blank=True)  # noqa: DJ001
    sync_frequency_interval = models.DurationField(null=True, blank=True)
    is_materialized = models.BooleanField(default=False)
    # When the latest materialization run started (any trigger); the schedule is due at this + the interval.
    run_started_at = models.DateTimeField(null=True, blank=True)
    table = models.ForeignKey(
        WarehouseTable, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    deleted_name = models.CharField(max_length=128, null=True, blank=True)  # noqa: DJ001

    class Meta:
        verbose_name = "data warehouse saved query"
        verbose_name_plural = "data warehouse saved queries"
        constraints = [unique_live_name("saved_query_unique_live_name")]
        indexes = [models.Index(fields=["project", "-created_at"], name="saved_query_project_created")]

    def __str__(self) -> str:
        return self.name

    @property
    def sync_frequency(self) -> str | None:
        return SyncFrequency.from_interval(self.sync_frequency_interval)


class ActivityLog(models.Model):
    """One change to a warehouse object: who, when, and each changed field's before and after."""

    class Activity(models.TextChoices):
        CREATED = "created"
        UPDATED = "updated"
        DELETED = "deleted"

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    activity = models.CharField(max_length=79, choices=Activity.choices)
    scope = models.CharField(max_length=79)
    item_id = models.UUIDField()
    detail = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["scope", "item_id", "-created_at"], name="activity_item_newest")]

    def __str__(self) -> str:
        return f"{self.scope} {self.item_id} {self.activity}"


class WarehouseCredential(models.Model):
    """Access key and secret for an S3-compatible bucket a warehouse table is loaded from (PostHog's shape)."""

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    access_key = models.CharField(max_length=500)
    access_secret = models.CharField(max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"credential {self.access_key[:4]}..."


class MaterializationRun(models.Model):
    """One run of a saved query into its materialized table: when, how it ended, rows written, the error."""

    class Status(models.TextChoices):
        RUNNING = "Running"
        COMPLETED = "Completed"
        FAILED = "Failed"
        CANCELLED = "Cancelled"

    class Trigger(models.TextChoices):
        MANUAL = "manual"
        SCHEDULE = "schedule"
        ANCESTOR = "ancestor"  # a view this one reads from was run, so this one runs after it

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    saved_query = models.ForeignKey(SavedQuery, on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RUNNING)
    trigger = models.CharField(max_length=16, choices=Trigger.choices, default=Trigger.MANUAL)
    job_id = models.CharField(max_length=64, blank=True, default="")
    position = models.PositiveSmallIntegerField(default=0, help_text="Order within its job (ancestors first)")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(default=timezone.now)
    rows_written = models.BigIntegerField(null=True, blank=True)
    error = models.TextField(null=True, blank=True)  # noqa: DJ001
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["saved_query", "-started_at"], name="materialization_run_newest"),
            models.Index(fields=["status", "heartbeat_at"], name="materialization_run_stale"),
        ]

    def __str__(self) -> str:
        return f"run {self.pk} {self.status}"

    @property
    def duration_seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()
