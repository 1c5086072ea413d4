"""`manage.py restore ARCHIVE [--force]`: a backup made by `manage.py backup` into the configured
database (a fresh, empty one unless --force) and MEDIA_ROOT. Stop the app nodes, workers and
schedulers first; run `migrate` after when the code is newer than the backup."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quanmin.core import backup


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` (database and private uploads)."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--force", action="store_true", help="replace a database that is not empty")

    def handle(self, *args, archive, force=False, **options):
        try:
            self.stdout.write(json.dumps(backup.restore(Path(archive), force=force)))
        except (backup.BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
