"""core.imports.run and run_each: the ways a register's import applies a file, whole or not at all."""

from dataclasses import dataclass

import pytest
from django.db import IntegrityError

from quanmin.accounts.models import AuditEntry
from quanmin.core.errors import ServiceError
from quanmin.core.imports import ImportReport, run, run_each


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


def _import_each(dry_run: bool, actions: list[str], conflict_after: int | None = None) -> ImportReport:
    """Rows written one by one as a service would, each noted in the report as it goes."""
    report = ImportReport(dry_run=dry_run)

    def write_rows():
        for n, action in enumerate(actions, start=2):
            if action != "rejected":
                AuditEntry.objects.create(action="import_test")
            if n - 1 == conflict_after:
                raise IntegrityError("another writer was first")
            report.rows.append(Row(n, action))

    return run_each(report, write_rows, conflict=lambda: ServiceError("import_conflict", "try again", "file", status=409))


def test_rows_written_one_by_one_are_kept_only_when_applied_and_all_good(db):
    assert not _import_each(True, ["new", "new"]).applied  # a dry run: the same work, rolled back
    assert not _import_each(False, ["new", "rejected", "new"]).applied
    assert not AuditEntry.objects.filter(action="import_test").exists()
    report = _import_each(False, ["new", "updated"])
    assert report.applied and AuditEntry.objects.filter(action="import_test").count() == 2


def test_rows_written_one_by_one_undone_on_a_conflict(db):
    with pytest.raises(ServiceError) as exc:
        _import_each(False, ["new", "new", "new"], conflict_after=2)
    assert exc.value.code == "import_conflict" and exc.value.status == 409
    assert not AuditEntry.objects.filter(action="import_test").exists()
