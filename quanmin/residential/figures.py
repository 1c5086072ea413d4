"""The norm's figures per division (its whole subtree), read by the indicator and the figures page.

A division's new residential areas are the projects of its subtree whose plan was approved on or
after the norm's `new_since` day (data/norm.toml) and by the date asked for; of them, those whose
figures meet the norm, and those accepted below it with a reason. One query whatever the number
of divisions asked for.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from quanmin.core.indicators import percent
from quanmin.regions import codes
from quanmin.regions.selectors import with_children

from . import norm
from .models import ResidentialProject, Status


@dataclass
class Totals:
    projects: int = 0
    compliant: int = 0
    accepted: int = 0
    accepted_below: int = 0  # accepted below the norm, with a reason
    residents: int = 0

    @property
    def share(self) -> Decimal | None:
        return percent(self.compliant, self.projects)


def totals(wanted: list[str], as_of: datetime.date) -> dict[str, Totals]:
    out = {code: Totals() for code in wanted}
    if not wanted:
        return out
    shared = codes.common_prefix(wanted)
    where = {"region__code__within": codes.prefix(shared)} if shared else {}
    rows = (ResidentialProject.objects.filter(approved_on__gte=norm.norm().new_since, approved_on__lte=as_of, **where)
            .exclude(status=Status.PLANNING).values_list("region_id", "compliant", "status", "residents"))
    keys = set(wanted)
    for region_code, compliant, stage, residents in rows:
        for code in codes.upward(region_code):
            if code not in keys:
                continue
            found = out[code]
            found.projects += 1
            found.compliant += compliant
            found.residents += residents
            if stage == Status.ACCEPTED:
                found.accepted += 1
                found.accepted_below += not compliant
    return out


@dataclass
class Row:
    region: object
    totals: Totals


def rollup(top, as_of: datetime.date) -> list[Row]:
    """The division's figures first, then each division right below it."""
    divisions = with_children(top)
    found = totals([r.code for r in divisions], as_of)
    return [Row(r, found[r.code]) for r in divisions]
