"""Health data encrypted at rest (issue 15): each result's measurements, item scores and total go into
health_enc, its rating and pass into outcome_enc; each prescription's screening answers, clearance,
component scores, weak components and plan into health_enc (JSON encrypted with QUANMIN_FIELD_KEY,
as accounts/crypto.py does for ID numbers). Existing rows are encrypted, then the plain columns go."""

import json

from django.db import migrations, models

from quanmin.accounts import crypto

RESULT_HEALTH = ("measurements", "scores", "total")
RESULT_OUTCOME = ("rating", "passed")
PRESCRIPTION = ("parq_answers", "cleared", "component_scores", "weak_components", "plan")


def _seal(data: dict) -> str:
    return crypto.encrypt(json.dumps(data, ensure_ascii=False, separators=(",", ":")))


def _open(token: str) -> dict:
    return json.loads(crypto.decrypt(token)) if token else {}


def encrypt_rows(apps, schema_editor):
    TestResult = apps.get_model("physique", "TestResult")
    Prescription = apps.get_model("physique", "Prescription")
    batch = []
    for row in TestResult.objects.order_by("pk").iterator(chunk_size=1000):
        row.health_enc = _seal({"measurements": row.measurements, "scores": row.scores,
                                "total": None if row.total is None else str(row.total)})
        row.outcome_enc = _seal({"rating": row.rating, "passed": row.passed})
        batch.append(row)
        if len(batch) >= 1000:
            TestResult.objects.bulk_update(batch, ["health_enc", "outcome_enc"])
            batch = []
    TestResult.objects.bulk_update(batch, ["health_enc", "outcome_enc"])
    batch = []
    for row in Prescription.objects.order_by("pk").iterator(chunk_size=1000):
        row.health_enc = _seal({k: getattr(row, k) for k in PRESCRIPTION})
        batch.append(row)
    Prescription.objects.bulk_update(batch, ["health_enc"], batch_size=1000)


def decrypt_rows(apps, schema_editor):
    TestResult = apps.get_model("physique", "TestResult")
    Prescription = apps.get_model("physique", "Prescription")
    rows = []
    for row in TestResult.objects.order_by("pk").iterator(chunk_size=1000):
        data = {**_open(row.health_enc), **_open(row.outcome_enc)}
        for k in RESULT_HEALTH + RESULT_OUTCOME:
            setattr(row, k, data.get(k))
        row.rating = row.rating or ""
        row.measurements, row.scores = row.measurements or {}, row.scores or []
        rows.append(row)
    TestResult.objects.bulk_update(rows, list(RESULT_HEALTH + RESULT_OUTCOME), batch_size=1000)
    rows = []
    for row in Prescription.objects.order_by("pk").iterator(chunk_size=1000):
        data = _open(row.health_enc)
        for k in PRESCRIPTION:
            setattr(row, k, data.get(k))
        row.cleared = bool(row.cleared)
        rows.append(row)
    Prescription.objects.bulk_update(rows, list(PRESCRIPTION), batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ("physique", "0001_initial"),
    ]

    operations = [
        migrations.AddField("prescription", "health_enc", models.TextField(blank=True, editable=False)),
        migrations.AddField("testresult", "health_enc", models.TextField(blank=True, editable=False)),
        migrations.AddField("testresult", "outcome_enc", models.TextField(blank=True, editable=False)),
        migrations.RunPython(encrypt_rows, decrypt_rows, elidable=True),
        *[migrations.RemoveField("testresult", name) for name in RESULT_HEALTH + RESULT_OUTCOME],
        *[migrations.RemoveField("prescription", name) for name in PRESCRIPTION],
    ]
