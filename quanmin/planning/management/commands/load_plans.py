"""Load the plans of quanmin/core/data/plans (or the files named) into the plans register."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quanmin.planning.errors import PlanningError
from quanmin.planning.services import loading


class Command(BaseCommand):
    help = "Load plans, their targets and task tables from data files (all of quanmin/core/data/plans by default)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="plan data files (.toml); default: every file of the app's data")

    def handle(self, *args, files=(), **options):
        paths = [Path(f) for f in files] or loading.data_files()
        for path in paths:
            if not path.is_file():
                raise CommandError(f"{path}: no such file")
            try:
                plan = loading.load_file(path)
            except PlanningError as exc:
                raise CommandError(f"{path.name}: {exc.message} {exc.detail or ''}".strip()) from None
            self.stdout.write(f"{path.name}: {plan.title} — {plan.targets.count()} targets, "
                              f"{plan.tasks.count()} tasks")
