"""Rebuild the physique figures' roll-up from the encrypted results, and the exercise standard
indicators' from the encrypted grades: `python manage.py physique_tally`.

The services keep the roll-ups as they write, rescore, annul or erase results and grades; run this
after they were loaded some other way (a bulk load, a restore) or to repair them. All or nothing; on PostgreSQL result
writes wait while it runs (a province's million results: about as long as one figure used to take).
"""

from django.core.management.base import BaseCommand

from quanmin.physique import tally


class Command(BaseCommand):
    help = ("Recompute the physique figures' roll-up (counts by division, day and outcome) from the stored results, "
            "and the exercise standard's from the stored grades.")

    def handle(self, *args, **options):
        keys = tally.rebuild()
        self.stdout.write(f"physique roll-up rebuilt: {keys} counts.")
        keys = tally.rebuild_exercise()
        self.stdout.write(f"exercise standard roll-up rebuilt: {keys} counts.")
