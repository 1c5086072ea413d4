"""The figures' roll-up (ResultTally): kept at write time, rebuilt from the encrypted results.

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

from .models import ResultTally, TestResult

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


def rebuild(*, results_model=TestResult, model=ResultTally) -> int:
    """Recompute the whole tally from the encrypted results, all or nothing; the keys written.
    On PostgreSQL the results table is locked against writes meanwhile (SHARE: reads go on)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {connection.ops.quote_name(results_model._meta.db_table)} IN SHARE MODE")
        model.objects.all().delete()
        rows = decrypted_counts(results_model.objects.all(), "region_id", "standard", "sex", "age_group",
                                day=TruncDate("tested_at"))
        model.objects.bulk_create([model(region_id=r["region_id"], day=r["day"], standard=r["standard"], sex=r["sex"],
                                         age_group=r["age_group"], passed=PASSED[r["passed"]], rating=r["rating"],
                                         n=r["n"]) for r in rows], batch_size=2000)
    return len(rows)
