"""`manage.py bootstrap`: the demo organization, project and user (once), and a fresh all-scopes key."""

import json

from django.core.management.base import BaseCommand

from users.services import demo_setup, personal_api_key_create


class Command(BaseCommand):
    help = "Create the demo organization, project and user if missing; print the project id and a new key."

    def add_arguments(self, parser):
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help='Print {"project_id": ..., "api_key": ...}.'
        )
        parser.add_argument(
            "--host", default="http://127.0.0.1:8000", help="Host used in the printed curl line."
        )

    def handle(self, *args, as_json: bool, host: str, **options):
        user, project = demo_setup()
        _, value = personal_api_key_create(user=user, label="bootstrap", scopes=["*"], enforce_limit=False)
        if as_json:
            self.stdout.write(json.dumps({"project_id": project.pk, "api_key": value}))
            return
        self.stdout.write(f"Demo user:   {user.email}")
        self.stdout.write(f"Project id:  {project.pk}")
        self.stdout.write(f"API key:     {value}")
        self.stdout.write("Try it:")
        self.stdout.write(f'  curl -H "Authorization: Bearer {value}" {host}/api/projects/')
