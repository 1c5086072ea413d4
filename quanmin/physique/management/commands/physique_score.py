"""Score a device export: `python manage.py physique_score IN.xlsx|IN.csv --standard student-2014 -o OUT.xlsx`.

One row per person; columns named by the canonical keys (`vital_capacity_ml` …) or the devices'
Chinese headers (肺活量, 50米跑 …), with 性别 and 年级 (students) or 年龄 (physique standard), or an
ID number for both. The output holds the input columns, then each item's score (and bonus), the
total, the rating, pass or better, and a reason for every row that cannot be scored.
"""

import datetime
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quanmin.physique import batch, errors, tables


class Command(BaseCommand):
    help = "Score a physique device export (.xlsx or .csv) under a national standard and write the scores beside each row."

    def add_arguments(self, parser):
        parser.add_argument("input", help=".xlsx or .csv (UTF-8 with or without BOM, or GB18030)")
        parser.add_argument("--standard", required=True, help=", ".join(tables.available_standards()))
        parser.add_argument("-o", "--output", required=True, help="output file: .xlsx or .csv")
        parser.add_argument("--on", help="test date for ages worked out from ID numbers (default: today)")

    def handle(self, *args, input, standard, output, on=None, **options):
        try:
            std = tables.load_standard(standard)
        except errors.ScoringError as exc:
            raise CommandError(f"{exc.message} Known: {', '.join(tables.available_standards())}.") from None
        if Path(output).suffix.lower() not in (".xlsx", ".csv"):
            raise CommandError("The output must be an .xlsx or .csv file.")
        day = None
        if on:
            try:
                day = datetime.date.fromisoformat(on)
            except ValueError:
                raise CommandError(f"--on: not a date: {on!r} (use 2026-05-01).") from None
        started = time.perf_counter()
        try:
            sheet = batch.read_file(input)
            scored = batch.score_sheet(sheet, std, on=day)
        except errors.BatchError as exc:
            raise CommandError(f"{input}: {exc.message}") from None
        try:
            batch.write_output(scored, output)
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror or exc}.") from None
        elapsed = time.perf_counter() - started
        rejected = [(sheet.lines[i], r) for i, r in enumerate(scored.reasons) if r]
        self.stdout.write(f"{len(sheet.rows)} rows read, {scored.scored_count} scored, {len(rejected)} not scored "
                          f"({elapsed:.2f} s) → {output}")
        for line, reason in rejected[:20]:
            self.stdout.write(f"  line {line}: {reason}")
        if len(rejected) > 20:
            self.stdout.write(f"  … and {len(rejected) - 20} more (see the reason column)")
