from django.core.management.base import BaseCommand

from jobs.sweep import run_sweep


class Command(BaseCommand):
    help = (
        "Run the jobs sweep once: reap jobs whose worker died, re-enqueue stalled work, and remove leftovers "
        "(temporary uploads, unreferenced recordings, ...). Workers do this on start and periodically."
    )

    def handle(self, *args, **options) -> None:
        for name, result in run_sweep().items():
            if isinstance(result, int):
                self.stdout.write(f"{name}: {'failed' if result < 0 else f'{result} re-enqueued'}")
            else:
                self.stdout.write(f"{name}: {len(result)} removed")
                for item in result:
                    self.stdout.write(f"  {item}")
