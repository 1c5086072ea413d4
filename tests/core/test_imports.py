"""core.imports.run: the one way a register's import applies a file, whole or not at all."""

from dataclasses import dataclass

import pytest
from django.db import IntegrityError

from quanmin.accounts.models import AuditEntry
from quanmin.core.errors import ServiceError
from quanmin.core.imports import ImportReport, run


@dataclass
class Row:
    line: int
    action: str


def _import(dry_run: bool, rows: list[Row], apply) -> tuple[ImportReport, list[bool]]:
    report, locks = ImportReport(dry_run=dry_run), []

    def plan(lock: bool):
        locks.append(lock)
        report.rows += rows
        return "planned"

    return run(report, plan, apply, conflict=lambda: ServiceError("import_conflict", "try again", "file", status=409)), locks


def _write(planned):
    assert planned == "planned"
    AuditEntry.objects.create(action="import_test")


def test_a_dry_run_plans_without_locks_and_writes_nothing(db):
    report, locks = _import(True, [Row(2, "new")], _write)
    assert locks == [False] and not report.applied and not AuditEntry.objects.filter(action="import_test").exists()


def test_applied_only_when_every_row_is_good(db):
    report, locks = _import(False, [Row(2, "new"), Row(3, "rejected")], _write)
    assert locks == [True] and not report.applied and not AuditEntry.objects.filter(action="import_test").exists()
    report, _locks = _import(False, [Row(2, "new")], _write)
    assert report.applied and AuditEntry.objects.filter(action="import_test").count() == 1


def test_a_conflict_undoes_everything_and_says_so(db):
    def half_then_conflict(planned):
        _write(planned)
        raise IntegrityError("another writer was first")

    with pytest.raises(ServiceError) as exc:
        _import(False, [Row(2, "new")], half_then_conflict)
    assert exc.value.code == "import_conflict" and exc.value.status == 409
    assert not AuditEntry.objects.filter(action="import_test").exists()
