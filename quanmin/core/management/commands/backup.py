"""`manage.py backup [--to DIR]`: the database and the private uploads into one .tar.gz (core/backup.py).
Safe while the platform serves; cron it (deploy/README.md)."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from quanmin.core import backup


class Command(BaseCommand):
    help = "Back up the database (SQLite online backup or pg_dump) and the private uploads into one archive."

    def add_arguments(self, parser):
        parser.add_argument("--to", default=str(settings.BACKUP_DIR),
                            help="folder for the archive (QUANMIN_BACKUP_DIR, else ./backups)")

    def handle(self, *args, to, **options):
        try:
            self.stdout.write(json.dumps(backup.make(Path(to))))
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
