"""Writes to the division tree: loading division data, census figures and estimates."""

import csv
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from . import codes
from .errors import RegionError
from .models import SOURCE_ESTIMATED, SOURCE_STAFF, Region

# Rough weight of a unit's resident population when a county's census figure is spread down:
# an urban residents' committee (社区) is several times the size of an administrative village.
URBAN_WEIGHT, RURAL_WEIGHT = 4, 1


@transaction.atomic
def load_divisions(divisions: Iterable) -> dict[str, int]:
    """Insert or update divisions (objects with code12, name, level, parent_code12), parents first.

    Re-running with the same data changes nothing; names that changed are updated.
    """
    rows = sorted(divisions, key=lambda d: (codes.PREFIX_LENGTH[d.level], d.code12))
    existing = dict(Region.objects.filter(code__in=[d.code12 for d in rows]).values_list("code", "name"))
    created = updated = 0
    new = []
    for d in rows:
        if d.code12 not in existing:
            new.append(Region(code=d.code12, name=d.name, level=d.level, parent_id=d.parent_code12))
            created += 1
        elif existing[d.code12] != d.name:
            Region.objects.filter(code=d.code12).update(name=d.name)
            updated += 1
    Region.objects.bulk_create(new, batch_size=2000)
    counts = {level: sum(1 for d in rows if d.level == level) for level in codes.LEVELS}
    return {"created": created, "updated": updated, **counts}


@transaction.atomic
def apply_census(csv_path: Path) -> int:
    """Set counted populations and areas from a CSV with region_code, population, area_km2, sources."""
    count = 0
    with open(csv_path, encoding="utf-8") as fh:
        for row in csv.DictReader(line for line in fh if not line.startswith("#")):
            fields = {}
            if row.get("population"):
                fields.update(population=int(row["population"]), population_estimated=False,
                              population_source=row.get("population_source", "")[:200])
            if row.get("area_km2"):
                fields.update(area_km2=Decimal(row["area_km2"]), area_estimated=False)
            if fields:
                count += Region.objects.filter(code=row["region_code"]).update(**fields)
    return count


def _weight(region: Region) -> int:
    return URBAN_WEIGHT if region.name.endswith(("社区", "居委会", "居民委员会")) else RURAL_WEIGHT


@transaction.atomic
def estimate_populations(root_code: str) -> int:
    """Spread each counted county population down to townships and communities, flagged estimated.

    Townships get the share of their communities' weights; a unit whose own figure was counted is
    left as it is. Returns the number of divisions given an estimate.
    """
    prefix = codes.prefix(root_code)
    regions = list(Region.objects.filter(code__within=prefix))
    kids = defaultdict(list)
    for r in regions:
        if r.parent_id:
            kids[r.parent_id].append(r)
    weight = {}

    def total_weight(r: Region) -> int:
        if r.code not in weight:
            weight[r.code] = sum(total_weight(k) for k in kids[r.code]) if kids[r.code] else _weight(r)
        return weight[r.code]

    changed = []

    def spread(parent: Region):
        children = kids[parent.code]
        if not children or parent.population is None:
            return
        counted = sum(c.population for c in children if c.population and not c.population_estimated)
        open_children = [c for c in children if c.population is None or c.population_estimated]
        remaining = max(parent.population - counted, 0)
        total = sum(total_weight(c) for c in open_children) or 1
        # Largest-remainder rounding keeps the children summing exactly to the parent.
        shares = [(remaining * total_weight(c)) / total for c in open_children]
        floors = [int(s) for s in shares]
        leftover = remaining - sum(floors)
        order = sorted(range(len(shares)), key=lambda i: shares[i] - floors[i], reverse=True)
        for i in order[:leftover]:
            floors[i] += 1
        for child, value in zip(open_children, floors, strict=True):
            child.population = value
            child.population_estimated = True
            child.population_source = SOURCE_ESTIMATED
            changed.append(child)
        for child in children:
            spread(child)

    # From the top: a city without counties (东莞, 中山) spreads straight to its townships.
    for root in regions:
        if root.code == codes.normalise(root_code):
            spread(root)
    Region.objects.bulk_update(changed, ["population", "population_estimated", "population_source"],
                               batch_size=2000)
    return len(changed)


def set_figures(region: Region, *, population: int | None = None, area_km2: float | None = None) -> Region:
    """A counted figure entered by staff replaces any estimate."""
    if population is not None:
        if population < 0:
            raise RegionError("invalid_population", _("Population cannot be negative."), "population")
        region.population, region.population_estimated = population, False
        region.population_source = SOURCE_STAFF
    if area_km2 is not None:
        if area_km2 <= 0:
            raise RegionError("invalid_area", _("Area must be positive."), "area_km2")
        region.area_km2, region.area_estimated = Decimal(str(area_km2)), False
    region.save()
    return region
