"""`manage.py check_warehouse [--repair] [--project N]`: check every project's warehouse and report per project."""

from django.core.management.base import BaseCommand, CommandError

from users.models import Project
from warehouse.health import check_project


class Command(BaseCommand):
    help = (
        "Check each project's warehouse: core tables (events, persons, ...) present with their columns, no two "
        "views or tables whose names the engine resolves to one table, every registered table present in the "
        "engine. With --repair, re-create missing or damaged core tables (a damaged one is kept aside as "
        "__damaged_<name>_<time>) and resolve name clashes. Exits 1 while problems remain."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--repair", action="store_true", help="Fix what can be fixed without losing data."
        )
        parser.add_argument("--project", type=int, action="append", help="Only this project (repeatable).")

    def handle(self, *args, repair: bool, project: list[int] | None, **options):
        projects = Project.objects.order_by("pk")
        if project:
            projects = projects.filter(pk__in=project)
            missing = sorted(set(project) - set(projects.values_list("pk", flat=True)))
            if missing:
                raise CommandError(f"No project {', '.join(map(str, missing))}")
        remaining = 0
        for target in projects:
            health = check_project(target, repair=repair)
            remaining += len(health.problems)
            lines = [f"repaired: {line}" for line in health.repaired]
            lines += [f"PROBLEM: {line}" for line in health.problems] + health.notes
            self.stdout.write(f"project {target.pk} ({target.name}):" + ("" if lines else " ok"))
            for line in lines:
                self.stdout.write(f"  {line}")
        if remaining:
            hint = "" if repair else " (--repair fixes what it can)"
            raise CommandError(f"{remaining} problem(s) remain{hint}", returncode=1)
        self.stdout.write("No problems found." if not repair else "No problems remain.")
