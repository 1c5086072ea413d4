"""Take the indicators' snapshot: every indicator for every division, monthly by default."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from quanmin.planning.errors import PlanningError
from quanmin.planning.services import snapshots
from quanmin.regions import codes
from quanmin.regions.models import Region


def _month(text: str) -> date:
    try:
        year, month = (int(p) for p in text.split("-")[:2])
        return date(year, month, 1)
    except ValueError:
        raise CommandError(f"not a month (YYYY-MM): {text!r}") from None


class Command(BaseCommand):
    help = ("Snapshot every indicator for every division (today's values; with --since, every month end "
            "since then too). Resumable: what an earlier run finished is skipped unless --again.")

    def add_arguments(self, parser):
        parser.add_argument("--division", help="a division code: its subtree (default: every top division)")
        parser.add_argument("--since", help="backfill month ends from this month (YYYY-MM)")
        parser.add_argument("--as-of", help="the date of the snapshot (YYYY-MM-DD; default today)")
        parser.add_argument("--indicator", action="append", help="only this indicator (repeatable)")
        parser.add_argument("--again", action="store_true", help="recompute what an earlier run finished")

    def handle(self, *args, division=None, since=None, as_of=None, indicator=None, again=False, **options):
        try:
            until = date.fromisoformat(as_of) if as_of else timezone.localdate()
        except ValueError:
            raise CommandError(f"not a date: {as_of!r}") from None
        dates = snapshots.month_ends(_month(since), until) if since else [until]
        if division:
            if not codes.is_prefix(division):
                raise CommandError(f"not a division code: {division!r}")
            scopes = [codes.prefix(codes.normalise(division))]
        else:
            scopes = [codes.prefix(c) for c in Region.objects.filter(parent__isnull=True).values_list("code", flat=True)]
        verbose = options.get("verbosity", 1) > 1
        for scope in scopes:
            try:
                counts = snapshots.take(dates, scope=scope, keys=indicator, again=again,
                                        log=self.stdout.write if verbose else lambda _line: None)
            except PlanningError as exc:
                raise CommandError(str(exc.message)) from None
            self.stdout.write(f"{scope}: {counts['computed']} computed, {counts['skipped']} already done, "
                              f"{counts['values']} values, {counts['undated']} not backfilled (no history)")
