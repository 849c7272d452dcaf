"""`manage.py bootstrap`: the demo organization, project and user (once), and the one demo key (users/demo.py)."""

import json

from django.core.management.base import BaseCommand

from users.demo import REUSED, demo_api_key, demo_key_path
from users.services import demo_setup


class Command(BaseCommand):
    help = (
        "Create the demo organization, project and user if missing; print the project id and the demo key "
        "(reused while it exists; otherwise a new one that revokes the earlier demo keys)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help='Print {"project_id": ..., "api_key": ...}.'
        )
        parser.add_argument(
            "--host", default="http://127.0.0.1:8000", help="Host used in the printed curl line."
        )

    def handle(self, *args, as_json: bool, host: str, **options):
        user, project = demo_setup()
        value, how = demo_api_key(user=user)
        if as_json:
            self.stdout.write(json.dumps({"project_id": project.pk, "api_key": value}))
            return
        self.stdout.write(f"Demo user:   {user.email}")
        self.stdout.write(f"Project id:  {project.pk}")
        self.stdout.write(f"API key:     {value}")
        if how == REUSED:
            self.stdout.write(f"             (the demo key, reused: kept owner-only in {demo_key_path()})")
        else:
            self.stdout.write(
                f"             (a new demo key, kept owner-only in {demo_key_path()}; earlier demo keys are revoked)"
            )
        self.stdout.write("Try it:")
        self.stdout.write(f'  curl -H "Authorization: Bearer {value}" {host}/api/projects/')
