"""The figures' roll-up (ResultTally), and the exercise standard's (ExerciseTally, at the end): kept
at write time, rebuilt from the encrypted rows.

A result's outcome (rating, pass) is health data, encrypted in its row (outcome_enc). The figures
and indicators used to decrypt every outcome of a division on each call: 12-15 s each of the
province bench's snapshot (1,000,000 results), and a county dashboard paid the same per call. Now
they read counts: results by division, day (in the city's time zone), standard, sex, age group and
outcome.

Who keeps it: the services that write a result (services.record_result: the staff form, the API,
the Excel import, the demo resident), rescore results (services.rescore_results) or erase them
(services.erase_person), in their own transaction, through change(): core.bulk.add_counts, INSERT …
ON CONFLICT DO UPDATE SET n = n + excluded.n, so concurrent writers add up on SQLite and PostgreSQL
alike (keys in one order: no deadlock between two). Bulk loads (the demo city's results, the
benches' INSERT … SELECT) count their rows with add() or rebuild(); rebuild() recomputes it all from
the encrypted results, the source of truth (`manage.py physique_tally`, also for repair).
"""

from __future__ import annotations

from collections import Counter

from django.db import connection, transaction
from django.db.models.functions import ExtractYear, Substr, TruncDate
from django.utils import timezone

from quanmin.accounts import crypto
from quanmin.core import bulk
from quanmin.core.indicators import local_span

from .models import ExerciseGrade, ExerciseTally, ResultTally, TestResult

PASSED = {True: "y", False: "n", None: ""}  # the tally's code for a result's `passed`
OUTCOME = {code: passed for passed, code in PASSED.items()}
KEY = ("region_id", "day", "standard", "sex", "age_group", "passed", "rating")
CHUNK = 20_000  # results decrypted at a time by rebuild()


def key(result: TestResult) -> tuple:
    """The tally key a result counts under (its outcome decrypted: the caller holds the row)."""
    return (result.region_id, timezone.localtime(result.tested_at).date(), result.standard, result.sex,
            result.age_group, PASSED[result.passed], result.rating or "")


def change(deltas: Counter, *, model=ResultTally) -> None:
    """Add each {key: n} to the tally (a negative n takes away), in the caller's transaction."""
    bulk.add_counts(model, KEY, deltas)


def add(results, sign: int = 1) -> None:
    """Count results (saved rows, their outcome readable) in the tally, or take them out (sign=-1)."""
    change(Counter({k: sign * n for k, n in Counter(key(r) for r in results).items()}))


def decrypted_counts(results, *fields: str, **expressions) -> list[dict]:
    """The results of the queryset `results` counted by the plain `fields` and the `expressions`
    (named annotations) and by outcome ("passed", "rating"), each outcome decrypted: the source of
    truth, read by rebuild() and by the test that checks the tally against it."""
    names = [*fields, *expressions]
    rows = results.annotate(**expressions).order_by().values_list(*names, "outcome_enc").iterator(chunk_size=CHUNK)
    counts = Counter()
    while chunk := [row for _, row in zip(range(CHUNK), rows)]:
        for row, outcome in zip(chunk, crypto.open_many(r[-1] for r in chunk), strict=True):
            counts[(*row[:-1], outcome.get("passed"), outcome.get("rating") or "")] += 1
    keys = [*names, "passed", "rating"]
    return [dict(zip(keys, k), n=n) for k, n in counts.items()]


def decrypted_rows(prefix: str, child_len: int | None = None, days=None) -> list[dict]:
    """figures.result_rows computed the old way, from every result's decrypted outcome: for the test
    that holds the tally to it and for the bench's before/after (the figures never call it)."""
    base = TestResult.objects.filter(region__code__within=prefix)
    if days is not None:
        first, last = local_span(*days)
        base = base.filter(tested_at__gte=first, tested_at__lt=last)
    extra = {"y": ExtractYear("tested_at")}
    if child_len:
        extra["child"] = Substr("region_id", 1, child_len)
    return decrypted_counts(base, "standard", "sex", "age_group", **extra)


def _replaced(source_model, model, count) -> int:
    """The tally `model` emptied and refilled with count() ({key dict: n}, read from `source_model`'s
    encrypted rows), all or nothing; the keys written. On PostgreSQL the source table is locked against
    writes meanwhile (SHARE: reads go on)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {connection.ops.quote_name(source_model._meta.db_table)} IN SHARE MODE")
        model.objects.all().delete()
        rows = count()
        model.objects.bulk_create([model(**row) for row in rows], batch_size=2000)
    return len(rows)


def rebuild(*, results_model=TestResult, model=ResultTally) -> int:
    """Recompute the whole tally from the encrypted results, all or nothing; the keys written."""
    def count():
        return [{**r, "passed": PASSED[r["passed"]]} for r in decrypted_counts(
            results_model.objects.all(), "region_id", "standard", "sex", "age_group", day=TruncDate("tested_at"))]
    return _replaced(results_model, model, count)


# --- the exercise standard's roll-up (ExerciseTally) ----------------------------------------------------
# The same for the National Physical Exercise Standard's grades: standing grades (not annulled) by
# division, day and grade, kept by services_exercise.record_grade (the staff page, the API, the Excel
# import), annul_grade and services.erase_person, and by the demo's bulk load; rebuilt from the
# encrypted grades by rebuild_exercise() (`manage.py physique_tally` rebuilds both).

EXERCISE_KEY = ("region_id", "day", "level")


def grade_key(grade: ExerciseGrade) -> tuple:
    """The tally key a standing grade counts under (its grade decrypted: the caller holds the row)."""
    return grade.region_id, timezone.localtime(grade.tested_at).date(), grade.level or ""


def add_grades(grades, sign: int = 1) -> None:
    """Count standing grades (saved rows, their grade readable) in the tally, or take them out (sign=-1)."""
    counted = Counter(grade_key(g) for g in grades)
    bulk.add_counts(ExerciseTally, EXERCISE_KEY, {k: sign * n for k, n in counted.items()})


def decrypted_grades(grades) -> list[tuple]:
    """(region_id, participant_id, day, level) of each standing grade of the queryset `grades`, every
    grade decrypted: the source of truth, read by rebuild_exercise() and the test that holds the
    tally to it."""
    rows = (grades.filter(annulled_at__isnull=True).annotate(day=TruncDate("tested_at")).order_by()
            .values_list("region_id", "participant_id", "day", "outcome_enc").iterator(chunk_size=CHUNK))
    found = []
    while chunk := [row for _, row in zip(range(CHUNK), rows)]:
        for row, outcome in zip(chunk, crypto.open_many(r[-1] for r in chunk), strict=True):
            found.append((*row[:-1], outcome.get("level") or ""))
    return found


def rebuild_exercise(*, grades_model=ExerciseGrade, model=ExerciseTally) -> int:
    """Recompute the whole exercise tally from the encrypted grades, all or nothing; the keys written."""
    def count():
        counted = Counter((region, day, level) for region, _person, day, level in decrypted_grades(grades_model.objects))
        return [dict(zip(EXERCISE_KEY, k), n=n) for k, n in counted.items()]
    return _replaced(grades_model, model, count)
