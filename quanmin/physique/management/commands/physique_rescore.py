"""Score stored results again after a standard's data file changed: `python manage.py physique_rescore
--standard physique-2003 [--dry-run]`.

Run it once after deploying a corrected table (the physique-2003 corrections of 2026-12-06 change the
3-year-old boys' standing long jump, the men 50-59 height-for-weight and three single cells; see
quanmin/physique/standards/README.md). It rewrites only the results whose item scores, total or rating
changed, in one transaction, and prints how many.
"""

from django.core.management.base import BaseCommand, CommandError

from quanmin.physique import services, tables
from quanmin.physique.errors import PhysiqueError


class Command(BaseCommand):
    help = "Score every stored result of a standard again from its measurements, after the standard's tables changed."

    def add_arguments(self, parser):
        parser.add_argument("--standard", required=True, help=", ".join(tables.available_standards()))
        parser.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")

    def handle(self, *args, standard, dry_run=False, **options):
        try:
            report = services.rescore_results(standard=standard, dry_run=dry_run)
        except PhysiqueError as exc:
            raise CommandError(f"{exc.message} Known: {', '.join(tables.available_standards())}.") from None
        verb = "would change" if dry_run else "changed"
        self.stdout.write(f"{report.standard}: {report.examined} results examined, {report.changed} {verb} "
                          f"({report.rating_changed} of them in rating), {report.unscorable} could not be scored.")
        for pk, total, new_total, rating, new_rating in report.changes[:20]:
            self.stdout.write(f"  result {pk}: total {total} → {new_total}, rating {rating or '-'} → {new_rating or '-'}")
        if len(report.changes) > 20:
            self.stdout.write(f"  … and {len(report.changes) - 20} more")
