"""Excel: a games' entries and results out (formulas neutralised by core.excel), a competition's
results in through the shared reader (quanmin.core.tabular): a template, a dry run, all or nothing,
each bad row reported by its line."""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from quanmin.accounts import audit
from quanmin.core import tabular
from quanmin.core.errors import ServiceError

from . import services_results
from .errors import EventError
from .models import Competition, Entry, Games, Result

MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024
COLUMNS = {"bib": gettext_lazy("bib"), "round": gettext_lazy("round"), "heat": gettext_lazy("heat"),
           "value": gettext_lazy("result"), "status": gettext_lazy("status"), "reason": gettext_lazy("reason")}
ROUNDS = {str(label): value for value, label in Result.Round.choices}
STATUSES = {str(label): value for value, label in Result.Status.choices}


def entry_sheets(games: Games) -> list:
    """Two sheets: every entry, and every result, with labels rather than codes."""
    entries = (Entry.objects.filter(games=games).select_related("competition", "user", "delegation")
               .order_by("competition__starts_at", "competition_id", "pk"))
    entry_rows = ([e.bib, e.competition.name, e.user.real_name, e.team_name, e.athletes,
                   e.delegation.name if e.delegation else "", e.get_status_display(),
                   {"male": _("Male"), "female": _("Female")}.get(e.sex, ""), e.birth_year or ""]
                  for e in entries.iterator(chunk_size=2000))
    results = (Result.objects.filter(competition__games=games).select_related("competition", "entry__user",
                                                                              "entry__delegation")
               .order_by("competition_id", "round", "heat", "rank", "pk"))
    result_rows = ([r.competition.name, r.get_round_display(), r.heat, r.entry.bib, r.entry.user.real_name,
                    r.entry.delegation.name if r.entry.delegation else "", r.value, r.get_status_display(),
                    r.rank or "", r.points, {"gold": _("Gold"), "silver": _("Silver"), "bronze": _("Bronze")}.get(r.medal, "")]
                   for r in results.iterator(chunk_size=2000))
    return [
        (_("Entries"), [_("bib"), _("competition"), _("name"), _("team"), _("athletes"), _("delegation"), _("status"),
                        _("sex"), _("birth year")], entry_rows),
        (_("Results"), [_("competition"), _("round"), _("heat"), _("bib"), _("name"), _("delegation"), _("result"),
                        _("status"), _("placing"), _("points"), _("medal")], result_rows),
    ]


def template_sheets(competition: Competition) -> list:
    rows = ([e.bib, str(Result.Round.FINAL.label), 1, "", str(Result.Status.OK.label), ""]
            for e in competition.entry_set.filter(status=Entry.Status.CONFIRMED).order_by("pk"))
    return [(_("Results"), [str(COLUMNS[k]) for k in COLUMNS], rows)]


def _header_map() -> dict:
    """Headers in either language, or the column keys themselves."""
    found = {tabular.norm_header(key): key for key in COLUMNS}
    for lang, _name in settings.LANGUAGES:
        with override(lang):
            found.update({tabular.norm_header(str(label)): key for key, label in COLUMNS.items()})
    return found


def _is_header(found: set) -> bool:
    return {"bib", "value"} <= found or {"bib", "status"} <= found


def import_results(user, competition: Competition, file, *, dry_run: bool, request=None) -> dict:
    """Every row checked first; with no error and not a dry run, all are recorded in one transaction."""
    try:
        rows = tabular.read_rows(file, names=_header_map(), label=lambda key: str(COLUMNS[key]), is_header=_is_header,
                                 expected=[str(COLUMNS["bib"]), str(COLUMNS["value"])], max_rows=MAX_ROWS,
                                 max_bytes=MAX_BYTES)
    except tabular.TableError as exc:
        raise EventError(exc.code, exc.message, "file", status=exc.status) from None
    errors, recorded = [], 0
    try:
        with transaction.atomic():
            for row in rows:
                try:
                    services_results.record_result(
                        user, competition, str(row.get("bib", "")),
                        value=row.get("value") if row.get("value") != "" else None,
                        status=STATUSES.get(str(row.get("status") or ""), str(row.get("status") or "ok")),
                        round=ROUNDS.get(str(row.get("round") or ""), str(row.get("round") or "final")),
                        heat=int(row.get("heat") or 1) if str(row.get("heat") or "1").isdigit() else 0,
                        reason=str(row.get("reason") or ""), ranking=False)
                    recorded += 1
                except ServiceError as exc:
                    errors.append({"line": row["_line"], "code": exc.code, "message": str(exc.message)})
            if errors or dry_run:
                raise _Rollback
            for round_ in Result.Round.values:  # placings once, after every row (not once a row)
                services_results.rerank(competition, round_)
    except _Rollback:
        pass
    if not errors and not dry_run:
        audit.record("import_results", request=request, actor=user, obj=competition.games,
                     detail={"competition": competition.pk, "rows": recorded})
    return {"rows": len(rows), "recorded": 0 if errors or dry_run else recorded, "valid": recorded if not errors else
            len(rows) - len(errors), "errors": errors, "dry_run": dry_run}


class _Rollback(Exception):
    """Undo every row of a dry run or of a file with errors."""
