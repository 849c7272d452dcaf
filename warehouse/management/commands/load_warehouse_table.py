"""`manage.py load_warehouse_table`: load a local CSV/Parquet/JSON-lines file into a project's warehouse table."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.errors import InvalidInput
from users.models import Project
from warehouse.loading import LOADABLE_FORMATS, reclaim_dead_loads, warehouse_table_create
from warehouse.replacing import warehouse_table_replace
from warehouse.selectors import table_named

SUFFIX_FORMATS = {
    ".csv": "CSVWithNames",
    ".parquet": "Parquet",
    ".jsonl": "JSONEachRow",
    ".ndjson": "JSONEachRow",
}


class Command(BaseCommand):
    help = "Load a local file into a project's warehouse table and register it (replaces it with --replace)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The file to load.")
        parser.add_argument("--project", type=int, required=True, help="Project id.")
        parser.add_argument("--name", required=True, help="Table name (the same rules as saved query names).")
        parser.add_argument("--format", choices=LOADABLE_FORMATS, help="Default: from the file's suffix.")
        parser.add_argument(
            "--replace", action="store_true", help="Replace the loaded table of the same name (in any case)."
        )

    def handle(
        self, *args, path: Path, project: int, name: str, format: str | None, replace: bool, **options
    ):
        target = Project.objects.filter(pk=project).first()
        if target is None:
            raise CommandError(f"Project {project} does not exist")
        if not path.is_file():
            raise CommandError(f"{path} is not a file")
        file_format = format or SUFFIX_FORMATS.get(path.suffix.lower())
        if file_format is None:
            raise CommandError(f"Cannot tell the format of {path.name}; pass --format")
        reclaim_dead_loads(project=target, name=name)  # a load whose process died no longer holds the name
        existing = table_named(project_id=target.pk, name=name)  # in any case: the engine's same table
        try:
            if replace and existing is not None:  # the old table stays until the new data is in (atomic)
                table = warehouse_table_replace(
                    project=target,
                    table=existing,
                    name=name,
                    file_format=file_format,
                    local_path=path.resolve(),
                )
            else:
                table = warehouse_table_create(
                    project=target, user=None, name=name, file_format=file_format, local_path=path.resolve()
                )
        except InvalidInput as err:
            raise CommandError(err.message) from err
        self.stdout.write(f"Loaded {table.row_count} rows into {name} ({len(table.columns)} columns).")
