from jobs.management.commands.sweep_jobs import Command as SweepCommand


class Command(SweepCommand):
    help = "The old name of sweep_jobs: " + SweepCommand.help
