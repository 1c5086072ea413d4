"""Rebuild the physique figures' roll-up from the encrypted results: `python manage.py physique_tally`.

The services keep the roll-up as they write, rescore or erase results; run this after results were
loaded some other way (a bulk load, a restore) or to repair it. All or nothing; on PostgreSQL result
writes wait while it runs (a province's million results: about as long as one figure used to take).
"""

from django.core.management.base import BaseCommand

from quanmin.physique import tally


class Command(BaseCommand):
    help = "Recompute the physique figures' roll-up (counts by division, day and outcome) from the stored results."

    def handle(self, *args, **options):
        keys = tally.rebuild()
        self.stdout.write(f"physique roll-up rebuilt: {keys} counts.")
