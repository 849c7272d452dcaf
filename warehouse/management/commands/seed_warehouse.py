"""`manage.py seed_warehouse`: fill a project's core tables with synthetic events, persons, sessions and groups."""

from django.core.management.base import BaseCommand, CommandError

from users.models import Project
from users.services import demo_setup
from warehouse.catalog import build_catalog
from warehouse.engine import get_engine
from warehouse.hogql import analyze_view


def existing_events(project_id: int) -> int:
    """How many events the project's warehouse holds."""
    catalog = build_catalog(project_id)
    engine = get_engine()
    analyzed = analyze_view("select count() from events", catalog, engine)
    return int(engine.run_query(catalog, analyzed.tree, limit=1).rows[0][0])


class Command(BaseCommand):
    help = (
        "Fill the core tables (events, persons, person_distinct_ids, sessions, groups) of a project with "
        "realistic synthetic data. Does nothing if the project already has events, unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--project", type=int, help="Project id (default: the demo project).")
        parser.add_argument("--events", type=int, default=10_000, help="How many events (default 10,000).")
        parser.add_argument("--seed", type=int, default=42, help="Random seed (same seed, same data).")
        parser.add_argument("--days", type=int, default=30, help="Spread events over the last N days.")
        parser.add_argument("--force", action="store_true", help="Replace existing data.")

    def handle(self, *args, project: int | None, events: int, seed: int, days: int, force: bool, **options):
        if events < 1 or days < 1:
            raise CommandError("--events and --days must be positive")
        target = Project.objects.filter(pk=project).first() if project else demo_setup()[1]
        if target is None:
            raise CommandError(f"Project {project} does not exist")
        present = existing_events(target.pk)
        if present and not force:
            self.stdout.write(
                f"Project {target.pk} already has {present} events; nothing to do (--force replaces)."
            )
            return
        counts = get_engine().seed_core_tables(target.pk, events=events, seed=seed, days=days)
        self.stdout.write(
            f"Project {target.pk}: {counts.events} events, {counts.persons} persons, "
            f"{counts.sessions} sessions, {counts.groups} groups."
        )
