"""The four inclusions (四纳入) and the one supervision (一督查) as the pages, API, export and
indicator read them: a division's records for a year, and the yearly overview of a city's (or a
county's) child divisions, each with its four inclusions and its supervision visits of the year,
the gaps named. Three queries whatever the number of divisions."""

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_lazy as _

from quanmin.regions import codes, subtrees
from quanmin.regions.models import Region

from .models import Inclusion, Visit

KINDS = list(Inclusion.Kind)


def records(division_code: str, year: int) -> dict[str, Inclusion]:
    """{kind: record} of the division's year (the kinds not recorded left out)."""
    return {r.kind: r for r in Inclusion.objects.filter(division_code=division_code, year=year)
            .select_related("recorded_by", "decided_by")}


def state(record: Inclusion | None) -> str:
    """What a cell shows: confirmed (included, confirmed), awaiting (included, not yet confirmed or
    returned), not_included (recorded as not included), missing (nothing recorded)."""
    if record is None:
        return "missing"
    if not record.included:
        return "not_included"
    return "confirmed" if record.status == Inclusion.Status.CONFIRMED else "awaiting"


STATES = {
    "confirmed": _("Included, confirmed"),
    "awaiting": _("Included, awaiting confirmation"),
    "not_included": _("Not included"),
    "missing": _("Not recorded"),
}


@dataclass
class Cell:
    kind: Inclusion.Kind
    record: Inclusion | None
    state: str

    @property
    def state_label(self) -> str:
        return str(STATES[self.state])


@dataclass
class Row:
    code: str
    name: str
    cells: list[Cell] = field(default_factory=list)  # in the order of the kinds
    visits: int = 0
    last_visit: date | None = None

    @property
    def complete(self) -> bool:
        """All four included and confirmed."""
        return all(c.state == "confirmed" for c in self.cells)

    @property
    def gaps(self) -> list[str]:
        """The kinds not (yet) counted."""
        return [c.kind for c in self.cells if c.state != "confirmed"]

    @property
    def supervised(self) -> bool:
        return self.visits > 0


def overview(division: Region, year: int) -> dict:
    """Each child division of `division` for the year: its four inclusions and the supervision visits
    carried out that year in it (or in a division under it); the totals for the summary line."""
    children = list(Region.objects.filter(parent=division).order_by("code").values_list("code", "name"))
    found = {(r.division_code, r.kind): r for r in Inclusion.objects.filter(
        year=year, division_code__in=[c for c, _ in children])}
    visited = list(Visit.objects.filter(status=Visit.Status.DONE, visited_on__year=year,
                                        division_code__within=codes.prefix(division.code))
                   .values_list("division_code", "visited_on"))
    per_child = subtrees.roll_up(visited, [c for c, _ in children])
    rows = []
    for code, name in children:
        cells = [Cell(kind, found.get((code, kind.value)), state(found.get((code, kind.value)))) for kind in KINDS]
        days = [day for _, day in per_child[code]]
        rows.append(Row(code, name, cells, len(days), max(days) if days else None))
    return {"division": division, "year": year, "rows": rows, "kinds": KINDS,
            "complete": sum(r.complete for r in rows), "supervised": sum(r.supervised for r in rows),
            "both": sum(r.complete and r.supervised for r in rows),
            "awaiting": sum(c.state == "awaiting" for r in rows for c in r.cells)}
