from django.core.management.base import BaseCommand

from jobs.resume import resume_stalled


class Command(BaseCommand):
    help = "Re-enqueue background work that a stopped or crashed worker left behind (runs every resumer)."

    def handle(self, *args, **options) -> None:
        for name, count in resume_stalled().items():
            self.stdout.write(f"{name}: {'failed' if count < 0 else f'{count} re-enqueued'}")
