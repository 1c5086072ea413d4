"""The four-level physique monitoring network (「四级体质监测网络」: 市、县、镇、村) and its coverage.

A division at a level is *covered* when an active test station of that tier stands in its subtree
(a county is covered by a county station, a village by a village or community point). For a
division asked about, coverage is counted at its own level and at every level below it: how many
divisions of each level its subtree holds and how many are covered; `levels` is how many of the
four tiers have at least one active station in the subtree (the network is whole at 4 for a city).
Two queries for any number of divisions (the regions and the stations of their common subtree).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from quanmin.regions import codes, subtrees
from quanmin.regions.models import Region

from .models import NetworkLevel, TestStation

TIERS = tuple(NetworkLevel.values)  # city, county, township, community


@dataclass
class Coverage:
    divisions: dict = field(default_factory=lambda: dict.fromkeys(TIERS, 0))
    covered: dict = field(default_factory=lambda: dict.fromkeys(TIERS, 0))
    stations: dict = field(default_factory=lambda: dict.fromkeys(TIERS, 0))

    @property
    def levels(self) -> int:
        return sum(1 for tier in TIERS if self.stations[tier])

    @property
    def total(self) -> int:
        return sum(self.divisions.values())

    @property
    def total_covered(self) -> int:
        return sum(self.covered.values())

    def rows(self) -> list[dict]:
        labels = dict(NetworkLevel.choices)
        return [{"level": tier, "label": labels[tier], "divisions": self.divisions[tier], "covered": self.covered[tier],
                 "stations": self.stations[tier]} for tier in TIERS if self.divisions[tier] or self.stations[tier]]


def _tier(region_level: str) -> str | None:
    return "city" if region_level == "province" else region_level if region_level in TIERS else None


def coverage(wanted: list[str]) -> dict[str, Coverage]:
    """{code: Coverage of its subtree} for every code asked for."""
    wanted = list(dict.fromkeys(wanted))
    if not wanted:
        return {}
    prefix = subtrees.covering_prefix(wanted)
    stations = list(TestStation.objects.filter(active=True, region__code__within=prefix)
                    .values_list("region_id", "level").order_by())
    covered = set()
    for region, tier in stations:
        if TIERS.index(tier) <= TIERS.index(_tier(codes.level(region)) or "community"):
            covered.add(codes.ancestor_at(region, tier))
    out = {code: Coverage() for code in wanted}
    regions = Region.objects.filter(code__within=prefix).values_list("code", "level").order_by()
    for code, rows in subtrees.roll_up(regions, wanted).items():
        for region, level in rows:
            tier = _tier(level)
            if tier is not None:
                out[code].divisions[tier] += 1
                out[code].covered[tier] += region in covered
    for code, rows in subtrees.roll_up(stations, wanted).items():
        for _region, tier in rows:
            out[code].stations[tier] += 1
    return out
