"""What the county returns' pages, API and Excel read: the rounds and returns a user may see, and a
round's summary table (a row per county: its state, whether it is overdue, every figure)."""

from dataclasses import dataclass, field
from datetime import date

from django.http import Http404
from django.utils.translation import gettext as _

from quanmin.accounts import scoping
from quanmin.core.api import lookup_id
from quanmin.core.indicators import UNITS

from . import permissions
from .models import CountyReturn, ReturnFigure, ReturnItem, ReturnRound
from .services.returns import EDITABLE


def rounds_for(user):
    """The rounds whose owners' division the user reads (the city's staff and supervisors)."""
    return scoping.scoped(user, ReturnRound.objects.all())


def returns_for(user):
    """The returns of the user's divisions: a county's own; every county's for the city's staff."""
    return scoping.scoped(user, CountyReturn.objects.select_related("round")).order_by("-round__period_end",
                                                                                       "round_id", "division_code")


def round_or_404(user, pk: int) -> ReturnRound:
    found = ReturnRound.objects.filter(pk=lookup_id(pk)).first()
    if found is None or not permissions.can_read_round(user, found):
        raise Http404
    return found


def return_or_404(user, pk: int) -> CountyReturn:
    found = CountyReturn.objects.select_related("round").filter(pk=lookup_id(pk)).first()
    if found is None or not permissions.can_read_return(user, found):
        raise Http404
    return found


def is_overdue(ret: CountyReturn, today: date) -> bool:
    return ret.round.status == ReturnRound.Status.OPEN and ret.round.due_on < today and ret.status in EDITABLE


@dataclass
class SummaryRow:
    ret: CountyReturn
    overdue: bool
    values: list = field(default_factory=list)  # one per item, in the items' order (None: not given)


def figures_of(ret: CountyReturn) -> list[ReturnFigure]:
    return list(ret.figures.select_related("item").order_by("item__order"))


def summary(rnd: ReturnRound, today: date) -> dict:
    """The round's table: its items, a row per county, and the counts by state (three queries)."""
    items = list(rnd.items.order_by("order"))
    returns = list(rnd.returns.select_related("round").order_by("division_code"))
    values = {(ret_id, item_id): (computed if computed is not None else entered)
              for ret_id, item_id, computed, entered in ReturnFigure.objects.filter(ret__round=rnd)
              .values_list("ret_id", "item_id", "computed", "entered")}
    rows = [SummaryRow(ret, is_overdue(ret, today), [values.get((ret.pk, item.pk)) for item in items])
            for ret in returns]
    counts = dict.fromkeys(CountyReturn.Status.values, 0)
    for row in rows:
        counts[row.ret.status] += 1
    return {"round": rnd, "items": items, "rows": rows, "counts": counts,
            "overdue": sum(row.overdue for row in rows)}


def item_heading(item: ReturnItem) -> str:
    return f"{item.name}（{UNITS[item.unit]}）"


def summary_sheets(rnd: ReturnRound, today: date) -> list:
    """The round's summary as one sheet: a row per county with its state, dates, figures and text."""
    found = summary(rnd, today)
    headers = [_("Division"), _("Status"), _("Overdue"), _("Submitted"), _("Reviewed"),
               *[item_heading(item) for item in found["items"]], _("Situations and problems")]
    rows = [[row.ret.division_name, str(row.ret.get_status_display()), _("Yes") if row.overdue else _("No"),
             row.ret.submitted_at, row.ret.decided_at, *row.values, row.ret.situation] for row in found["rows"]]
    return [(_("Returns"), headers, rows)]
