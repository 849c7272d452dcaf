"""`manage.py createapikey EMAIL --scopes 'a:read,b:write'`: prints a new key alone on stdout."""

from django.core.management.base import BaseCommand, CommandError

from core.errors import InvalidInput
from users.models import User
from users.services import personal_api_key_create


class Command(BaseCommand):
    help = "Create a personal API key for a user and print its value (shown only this once)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument(
            "--scopes",
            default="*",
            help="Comma-separated scopes, e.g. 'query:read,warehouse_view:write' or '*'.",
        )
        parser.add_argument("--label", default="Created from the command line")
        parser.add_argument(
            "--project",
            type=int,
            action="append",
            dest="projects",
            help="Limit the key to this project id (repeatable).",
        )

    def handle(self, *args, email, scopes, label, projects, **options):
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No user with email {email}.")
        scope_list = [scope.strip() for scope in scopes.split(",") if scope.strip()]
        try:
            _, value = personal_api_key_create(
                user=user, label=label, scopes=scope_list, scoped_teams=projects, enforce_limit=False
            )
        except InvalidInput as error:
            raise CommandError(error.message) from error
        self.stdout.write(value)
