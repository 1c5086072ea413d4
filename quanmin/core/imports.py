"""What every register's import shares: the report (each row's line, action and errors, and the
counts) and the run that applies a file whole or not at all: `run` for an import that checks every
row and then writes them in bulk, `run_each` for one whose rows go through the services one by one.

A row report is any object with `line`, `action` (new, updated, unchanged, rejected), `changes` and
`errors`; each register adds what names its rows for people (a tag, a piece, a name).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.shortcuts import render
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Schema, UploadedFile
from pydantic import create_model

from .api import ImportCountsOut, ImportRowErrorOut
from .bulk import paused_gc
from .errors import ServiceError


@dataclass
class RowReport:
    """A row of a register whose rows people know by a name (a project, an institution, a venue)."""

    line: int
    name: str = ""
    action: str = "new"
    changes: list = field(default_factory=list)
    errors: list = field(default_factory=list)


@dataclass
class ImportReport:
    dry_run: bool
    rows: list = field(default_factory=list)
    applied: bool = False
    ignored_columns: list[str] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def counts(self) -> dict:
        return {"rows": len(self.rows), "new": self.count("new"), "updated": self.count("updated"),
                "unchanged": self.count("unchanged"), "rejected": self.count("rejected")}

    @property
    def ok(self) -> bool:
        return self.count("rejected") == 0

    @property
    def rejected(self) -> list:
        return [r for r in self.rows if r.action == "rejected"]

    @property
    def changed(self) -> list:
        return [r for r in self.rows if r.action in ("new", "updated")]

    def as_dict(self) -> dict:
        return {"dry_run": self.dry_run, "applied": self.applied, "counts": self.counts,
                "ignored_columns": self.ignored_columns,
                "rows": [r.__dict__ for r in self.rows if r.action != "unchanged"]}


def report_for(rows, *, dry_run: bool, error: Callable[..., ServiceError]) -> ImportReport:
    """The report of an import about to check the rows a file held (tabular.Rows, with the headers
    it ignored); the register's `error` when the file held none."""
    if not rows:
        raise error("table_empty", _("The table has no rows."), "file")
    return ImportReport(dry_run=dry_run, ignored_columns=list(getattr(rows, "ignored", [])))


def run(report: ImportReport, plan: Callable[[bool], object], apply: Callable[[object], None], *,
        conflict: Callable[[], ServiceError]) -> ImportReport:
    """Check every row, and unless it is a dry run write them all, or nothing.

    `plan(lock)` checks the rows into `report` and returns what `apply` writes; when applying it
    runs in the transaction that writes, with lock=True so that it may lock the rows it matched, and
    it may write what it has checked as it goes (facilities: core.bulk.alongside). A row rejected
    leaves the database as it was; an IntegrityError (another writer got there first) rolls
    everything back and raises `conflict()`. The cycle collector is paused meanwhile
    (core.bulk.paused_gc: a file's rows all live until the end)."""
    if report.dry_run:
        with paused_gc():
            plan(False)
        return report
    try:
        with paused_gc(), transaction.atomic():
            planned = plan(True)
            if not report.ok:
                raise _RollBack  # what the plan wrote before a row was rejected goes too
            apply(planned)
            report.applied = True
    except _RollBack:
        pass
    except IntegrityError:
        raise conflict() from None
    return report


class _RollBack(Exception):
    pass


def run_each(report: ImportReport, write_rows: Callable[[], None], *,
             conflict: Callable[[], ServiceError]) -> ImportReport:
    """Write the rows one by one through the app's services (each under the services' own locks
    and rules, its errors in its row of `report`), all in one transaction, kept only when applying
    and no row was rejected: a dry run is the same work rolled back. An IntegrityError (another
    writer got there first) rolls everything back and raises `conflict()`, as `run` does."""
    try:
        with transaction.atomic():
            write_rows()
            if report.dry_run or not report.ok:
                raise _RollBack
            report.applied = True
    except _RollBack:
        pass
    except IntegrityError:
        raise conflict() from None
    return report


def import_page(request, template: str, do_import: Callable, error: Callable[[str, object, str], ServiceError],
                context: dict | None = None):
    """A register's import page: the form (GET), or the file checked — applied when "apply" is
    ticked — with the report (POST). `do_import(file, dry_run)` runs the register's import and
    `error(code, message, field)` makes the register's error for a missing file. A file that
    cannot be read, or a report with rejected rows, answers 400 with the form again."""
    context = dict(context or {})
    report, status = None, 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise error("file_required", _("Choose a file to upload."), "file")
            report = do_import(upload, request.POST.get("apply") != "1")
        except ServiceError as exc:
            messages.error(request, exc.message)
            return render(request, template, context, status=400)
        if report.applied:
            messages.success(request, _("The table was imported: %(rows)s rows.") % {"rows": report.counts["rows"]})
        elif not report.ok:
            messages.error(request, _("%(count)s rows were rejected; nothing was applied.")
                           % {"count": len(report.rejected)})
            status = 400
    return render(request, template, {**context, "report": report}, status=status)


def api_answer(report: ImportReport, dry_run: bool, error: Callable[..., ServiceError],
               detail: tuple[str, ...] = ("report",)) -> dict:
    """A register's import at the API: the report, or — when applying and a row was rejected —
    400 `import_row_invalid` whose detail carries, as `detail` names them, `errors` (each rejected
    row's errors with its line) and the full `report` (nothing was applied)."""
    if not dry_run and not report.applied:
        parts = {"errors": lambda: [dict(line=r.line, **e) for r in report.rejected for e in r.errors],
                 "report": report.as_dict}
        raise error("import_row_invalid", _("%(count)s rows were rejected; nothing was applied.")
                    % {"count": len(report.rejected)}, "file", detail={key: parts[key]() for key in detail})
    return report.as_dict()


ACTIONS = Literal["new", "updated", "unchanged", "rejected"]
ROWS_HELP = "Every row except the unchanged ones, by line."


def import_schema(prefix: str, *names: str, typed: bool = False, loose: bool = False, row_name: str = "",
                  counts: type[Schema] = ImportCountsOut, rows_help: str | None = None) -> type[Schema]:
    """The answer of a register's import at the API, `<prefix>ImportOut` (a name of its own in the
    OpenAPI document) with its rows `<prefix>ImportRowOut` (or `row_name`): the line, the fields
    that name the row for people (`names`, "name" by default), the action, the changes and the
    errors. A `typed` row gives the action first as one of ACTIONS and each error as column, code
    and message; a plain one gives each error as text. A `loose` answer leaves rows as mappings
    (the registers whose rows vary) and its counts as `counts` says (a mapping)."""
    if loose:
        counts_type, rows_type = counts, list[dict]
    else:
        named: dict[str, Any] = {name: (str, ...) for name in names or ("name",)}
        fields = ({"line": (int, ...), "action": (ACTIONS, ...), **named} if typed
                  else {"line": (int, ...), **named, "action": (str, ...)})
        row = create_model(row_name or f"{prefix}ImportRowOut", __base__=Schema, __module__=__name__, **fields,
                           changes=(list[str], ...), errors=(list[ImportRowErrorOut] if typed else list[str], ...))
        counts_type, rows_type = counts, list[row]
    rows = (rows_type, Field(description=rows_help)) if rows_help else (rows_type, ...)
    return create_model(f"{prefix}ImportOut", __base__=Schema, __module__=__name__, dry_run=(bool, ...),
                        applied=(bool, ...), counts=(counts_type, ...), ignored_columns=(list[str], ...), rows=rows)


API_IMPORT_DOC = """With dry_run=false the whole file is applied or nothing is: any rejected row gives 400
    `import_row_invalid` with the full `report`."""


def api_import(router, path: str, out: type[Schema], errors: dict, error: Callable[..., ServiceError],
               allowed: Callable[[object], bool], *, summary: str, detail: tuple[str, ...] = ("report",)):
    """Register a register's import endpoint: POST `path` with the file and `dry_run` (true by
    default), answering `out` or `errors`. The decorated `run(request, file, dry_run)` runs the
    import and returns its report; before it the user must be `allowed` (else 403) and a file given
    (else 400 `file_required`), after it `api_answer` answers. The endpoint keeps the name, module
    and docstring of `run` (API_IMPORT_DOC without one), hence its operation id."""
    def register(run: Callable[..., ImportReport]):
        def view(request, file: File[UploadedFile] = None, dry_run: Form[bool] = True):
            if not allowed(request.user):
                raise PermissionDenied
            if file is None:
                raise error("file_required", _("Choose a file to upload."), "file")
            return api_answer(run(request, file, dry_run), dry_run, error, detail)

        view.__name__, view.__qualname__, view.__module__ = run.__name__, run.__qualname__, run.__module__
        view.__doc__ = run.__doc__ or API_IMPORT_DOC
        return router.post(path, response={200: out, **errors}, summary=summary)(view)
    return register
