"""The figures per division (its whole subtree), read by the indicators and the figures page.

For each of the plans' measures (models.MEASURES): the active institutions of the kinds it counts
and those fitted, by the date asked for, with what it asks (elderly-care institutions with equipment
suited to older people, rehab and elderly centres with rehab fitness equipment, pre-school places
with gross-motor equipment, ethnic villages with equipment, an outdoor basketball or a simple
football ground). And per group, the programme activities held in the 365 days up to that date and
their participants. Two queries whatever the number of divisions asked for.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Sum

from quanmin.core.indicators import percent, year_ending
from quanmin.regions.selectors import asked_holding, within_all

from . import selectors
from .models import MEASURES, Activity, Group, Institution


@dataclass
class Totals:
    institutions: dict = field(default_factory=lambda: dict.fromkeys(MEASURES, 0))
    equipped: dict = field(default_factory=lambda: dict.fromkeys(MEASURES, 0))
    activities: dict = field(default_factory=lambda: dict.fromkeys(Group.values, 0))
    participants: dict = field(default_factory=lambda: dict.fromkeys(Group.values, 0))

    def share(self, measure: str):
        return percent(self.equipped[measure], self.institutions[measure])

    @property
    def measures(self) -> list[tuple[str, int, int, object]]:
        """(measure, institutions, equipped, share) in the plans' order, for the page."""
        return [(m, self.institutions[m], self.equipped[m], self.share(m)) for m in MEASURES]

    @property
    def groups(self) -> list[tuple[str, int, int]]:
        return [(g, self.activities[g], self.participants[g]) for g in Group.values]


def equipped_totals(wanted: list[str], as_of, out: dict[str, Totals] | None = None) -> dict[str, Totals]:
    """Each division's active institutions per measure and those fitted by `as_of` (one query)."""
    out = out if out is not None else {code: Totals() for code in wanted}
    if not wanted:
        return out
    keys = set(wanted)
    flags = {f"m_{m}": selectors.equipped_q(m, as_of) for m in MEASURES}
    rows = (Institution.objects.filter(active=True, **within_all(wanted)).annotate(**flags)
            .values_list("region_id", "kind", *flags))
    for region_code, kind, *fitted in rows:
        for code in asked_holding(region_code, keys):
            found = out[code]
            for (measure, (kinds, _fitted)), is_fitted in zip(MEASURES.items(), fitted, strict=True):
                if kind in kinds:
                    found.institutions[measure] += 1
                    found.equipped[measure] += bool(is_fitted)
    return out


def activity_totals(wanted: list[str], as_of, out: dict[str, Totals] | None = None) -> dict[str, Totals]:
    """Each division's activities per group in the 365 days up to `as_of`, and their participants (one query)."""
    out = out if out is not None else {code: Totals() for code in wanted}
    if not wanted:
        return out
    keys = set(wanted)
    first, last = year_ending(as_of)
    rows = (Activity.objects.filter(held_on__gte=first, held_on__lte=last, **within_all(wanted))
            .values_list("region_id", "group").annotate(n=Count("pk"), people=Sum("participants")).order_by())
    for region_code, group, n, people in rows:
        for code in asked_holding(region_code, keys):
            out[code].activities[group] += n
            out[code].participants[group] += people or 0
    return out


def division_figures(wanted: list[str], as_of) -> dict[str, Totals]:
    return activity_totals(wanted, as_of, equipped_totals(wanted, as_of))


@dataclass
class Row:
    region: object
    totals: Totals


def rollup(top, as_of) -> list[Row]:
    """The division's figures first, then each division right below it."""
    divisions = selectors.rollup_regions(top)
    found = division_figures([r.code for r in divisions], as_of)
    return [Row(r, found[r.code]) for r in divisions]
